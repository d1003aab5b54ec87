// The credit widget's page: plain JavaScript over the service's REST endpoints. Every amount is shown
// as the exact decimal string the service sends (creditgate's JSON shapes); nothing here does
// arithmetic on credits or money, but for the width of the meter bar. Dates are the JSON's instants,
// formatted here, in the browser's time zone.
'use strict';

(() => {
  const account = new URLSearchParams(location.search).get('account') || 'maya';
  const api = `/api/accounts/${encodeURIComponent(account)}`;
  const $ = (id) => document.getElementById(id);

  let catalog = null;
  let status = null;
  let answerCount = 0;

  // ---------------------------------------------------------------------------------- formatting

  function money(m) {
    if (!m) return '';
    const amount = m.amount.endsWith('.00') ? m.amount.slice(0, -3) : m.amount;
    return m.currency === 'USD' ? `$${amount}` : `${amount} ${m.currency}`;
  }

  function longDate(instant) {
    return new Date(instant).toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric' });
  }

  function shortDate(instant) {
    return new Date(instant).toLocaleDateString('en-US', { month: 'short', day: 'numeric' });
  }

  // A date within the coming month or so (a run-out, a renewal): "March 14".
  function dayOf(instant) {
    return new Date(instant).toLocaleDateString('en-US', { month: 'long', day: 'numeric' });
  }

  // "March 5, 9:30 AM".
  function dayAndTime(instant) {
    return `${dayOf(instant)}, ${new Date(instant).toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' })}`;
  }

  // Calendar days from the date of one instant to the date of another, in the browser's time zone.
  function daysBetween(from, to) {
    const midnight = (instant) => {
      const d = new Date(instant);
      return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
    };
    return Math.round((midnight(to) - midnight(from)) / 86400000);
  }

  // A count as the article writes it, with a comma every three digits: 1,000.
  function grouped(count) {
    return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }

  // The exact decimal numerator / 10^scale, without trailing zeros ("1.801", "50", "0").
  function decimal(numerator, scale) {
    const digits = numerator.toString().padStart(scale + 1, '0');
    const whole = digits.slice(0, digits.length - scale);
    const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
    return fraction ? `${whole}.${fraction}` : whole;
  }

  // units / blockSize as an exact decimal, or null if it does not terminate (a block of 3 units).
  function quotient(units, blockSize) {
    const divisor = BigInt(blockSize);
    let numerator = BigInt(units);
    for (let scale = 0; scale <= 64; scale += 1, numerator *= 10n) {
      if (numerator % divisor === 0n) return decimal(numerator / divisor, scale);
    }
    return null;
  }

  const isZero = (credits) => /^-?0(\.0*)?$/.test(credits);

  // How the meter got to a cost: creditgate's CostBreakdown.sentence(), word for word, from the
  // breakdown's fields (docs/json.md, "CostBreakdown"): "0.1 base + 2 x 0.1 per 1,000 tokens = 0.3 credits".
  function explain(b, unitName = 'tokens') {
    const rounded = ' (rounded up to the credit unit, 0.001)';
    let metered;
    switch (b.kind) {
      case 'FREE':
        metered = 'free: 0 credits';
        break;
      case 'NOT_ITEMIZED':
        metered = `${b.metered} credits (not itemized: recorded before creditgate explained costs)`;
        break;
      case 'FIXED':
        metered = b.units === 1 ? `${b.rate} credits` : `${grouped(b.units)} x ${b.rate} credits = ${b.metered} credits`;
        break;
      default: {
        const perBlock = `${b.rate} per ${grouped(b.blockSize)} ${unitName}`;
        const blocks = quotient(b.units, b.blockSize);
        const rate = blocks !== null ? `${blocks} x ${perBlock}` : `${grouped(b.units)} ${unitName} at ${perBlock}`;
        metered = `${isZero(b.base) ? '' : `${b.base} base + `}${rate} = ${b.metered} credits${b.roundedUp ? rounded : ''}`;
      }
    }
    if (b.share === 10000) return metered;
    return `(${metered}) x ${decimal(BigInt(b.share), 2)}% = ${b.total} credits${b.shareRoundedUp ? rounded : ''}`;
  }

  function setDate(element, instant, format = longDate) {
    element.textContent = format(instant);
    element.dataset.instant = instant;
    element.title = instant;
  }

  function planOf(id) {
    return catalog.plans.find((plan) => plan.id === id);
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  // ------------------------------------------------------------------------------------- calls

  async function call(method, path, { body, key } = {}) {
    const headers = { Accept: 'application/json, application/problem+json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (key) headers['Idempotency-Key'] = key;
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = { detail: text }; }
    return { status: response.status, json, retryAfter: response.headers.get('Retry-After') };
  }

  async function refresh() {
    const answer = await call('GET', `${api}/status`);
    if (answer.status !== 200) {
      showAnswer('Status', answer);
      return;
    }
    status = answer.json;
    renderStatus();
    const [events, forecast] = await Promise.all([call('GET', `${api}/events`), call('GET', `${api}/forecast`)]);
    if (events.status === 200) renderNotifications(events.json);
    renderRunway(forecast.status === 200 ? forecast.json : null);
  }

  // ------------------------------------------------------------------------------------ rendering

  function renderStatus() {
    const plan = planOf(status.plan);
    const widget = $('credit-widget');
    widget.dataset.meter = status.meter;
    widget.classList.toggle('credit-widget--low', status.meter === 'LOW');
    widget.classList.toggle('credit-widget--empty', status.meter === 'EMPTY');
    $('balance').textContent = status.available;
    $('plan-name').textContent = plan ? plan.name : status.plan;
    $('plan-name').dataset.plan = status.plan;
    setDate($('renewal-date'), status.nextRenewal, shortDate);

    // The bar's width is for the eye only; the state (colour, data-meter) is the gate's meter.
    const reference = parseFloat(status.reference);
    const share = reference > 0 ? Math.max(0, Math.min(1, parseFloat(status.available) / reference)) : 0;
    $('meter-fill').style.width = `${(share * 100).toFixed(1)}%`;

    $('subscription-credits').textContent = status.subscription;
    $('pack-credits').textContent = status.packs;
    $('held-credits').textContent = status.held;

    const warning = $('meter-warning');
    const notice = $('notice');
    if (status.meter === 'OK') {
      warning.hidden = true;
      notice.hidden = true;
      notice.dataset.meter = 'OK';
    } else {
      const text = status.meter === 'EMPTY'
        ? 'You\u2019re out of credits. Your live apps keep working, and publishing, your data and sharing never use credits.'
        : `Your credits are running low: ${status.available} of ${status.reference} left this month.`;
      warning.textContent = text;
      warning.hidden = false;
      notice.innerHTML = '';
      notice.append(text + ' ');
      const more = document.createElement('button');
      more.type = 'button';
      more.className = 'link';
      more.textContent = 'Get more credits';
      more.addEventListener('click', () => openPopover(true));
      notice.append(more);
      notice.dataset.meter = status.meter;
      notice.className = `notice notice--${status.meter.toLowerCase()}`;
      notice.hidden = false;
    }
    renderBilling(plan);
  }

  // The wallet events the service received from the gate (at least once; it keeps each once), newest first.
  function renderNotifications(notifications) {
    const list = $('notifications');
    list.innerHTML = '';
    notifications.slice(0, 5).forEach(({ id, event }) => {
      const li = document.createElement('li');
      li.dataset.event = id;
      li.dataset.type = event.type;
      if (event.percent !== undefined) li.dataset.percent = String(event.percent);
      li.className = `notification notification--${event.type}`;
      li.textContent = describe(event);
      list.append(li);
    });
    $('notifications-box').hidden = notifications.length === 0;
  }

  function describe(event) {
    switch (event.type) {
      case 'threshold-crossed':
        return event.percent === 0
          ? 'Out of credits: 0% left'
          : `Down to ${event.percent}%: ${event.available} of ${event.reference} credits left`;
      case 'credits-granted': return `+${event.credits} credits added`;
      case 'subscription-renewed': return `Renewed: ${event.credits} credits on the ${event.plan} plan`;
      case 'subscription-credits-expired': return `${event.credits} unused monthly credits expired`;
      case 'plan-changed': return `Plan ${event.from} → ${event.to}, from ${shortDate(event.effectiveAt)}`;
      case 'member-added': return `${event.member} joined`;
      case 'member-removed': return `${event.member} left`;
      default: return event.type;
    }
  }

  // The runway line, in the article's words, for a creditgate Forecast; and a second line with the
  // rate and what reaching the renewal takes, when the credits run out before it.
  function runwayText(f) {
    switch (f.forecast) {
      case 'projected': {
        if (!f.runsOutBeforeRenewal) {
          return { line: `At this rate your credits last until your renewal on ${dayOf(f.nextRenewal)}`,
            detail: `You spend about ${f.perDay} credits a day.` };
        }
        const days = daysBetween(f.runsOutAt, f.nextRenewal);
        const before = days === 0 ? 'on the day of your renewal' : `${days} day${days === 1 ? '' : 's'} before your renewal`;
        return {
          line: f.runsOutAt === f.at ? `You\u2019ve run out, ${before}` : `At this rate you run out on ${dayOf(f.runsOutAt)}, ${before}`,
          detail: `At about ${f.perDay} credits a day, ${f.neededToReachRenewal} more credits reach your renewal on ${dayOf(f.nextRenewal)}.`,
          days,
        };
      }
      case 'no-spend':
        return { line: 'You haven\u2019t spent anything recently' };
      case 'not-enough-history':
        return { line: `Not enough history yet: a forecast from ${dayAndTime(f.enoughAt)}` };
      default:
        return { line: '' };
    }
  }

  // In the popover and in Account -> Billing; the data attributes are the forecast's own instants and amounts.
  function renderRunway(forecast) {
    ['runway', 'billing-runway'].forEach((id) => {
      const element = $(id);
      Object.keys(element.dataset).forEach((name) => { if (name !== 'testid') delete element.dataset[name]; });
      element.innerHTML = '';
      element.hidden = !forecast;
      if (!forecast) return;
      const { line, detail, days } = runwayText(forecast);
      const fields = ['forecast', 'at', 'nextRenewal', 'runsOutAt', 'neededToReachRenewal', 'perDay', 'enoughAt'];
      fields.filter((name) => forecast[name] !== undefined).forEach((name) => { element.dataset[name] = String(forecast[name]); });
      if (days !== undefined) element.dataset.daysBeforeRenewal = String(days);
      element.className = `runway runway--${forecast.forecast}${id === 'billing-runway' ? ' runway--billing' : ''}`
        + `${days !== undefined ? ' runway--short' : ''}`;
      const first = document.createElement('span');
      first.className = 'runway__line';
      first.textContent = line;
      element.append(first);
      if (detail) {
        const second = document.createElement('span');
        second.className = 'runway__detail';
        second.textContent = detail;
        element.append(second);
      }
    });
  }

  function renderBilling(plan) {
    $('billing-plan').textContent = plan ? plan.name : status.plan;
    $('billing-plan').dataset.plan = status.plan;
    $('billing-price').textContent = plan ? `${money(plan.monthlyPrice)}/mo · ${plan.monthlyCredits} credits a month` : '';
    setDate($('billing-renewal-date'), status.nextRenewal);
    const renewalPlan = planOf(status.renewalPlan);
    $('billing-renewal-credits').textContent = renewalPlan ? renewalPlan.monthlyCredits : '';
    $('billing-renewal-plan').textContent = renewalPlan ? `${renewalPlan.name} plan` : status.renewalPlan;

    const plans = $('plan-list');
    plans.innerHTML = '';
    const current = catalog.plans.findIndex((p) => p.id === status.plan);
    catalog.plans.forEach((p, index) => {
      const row = document.createElement('div');
      row.className = 'plan' + (p.id === status.plan ? ' plan--current' : '');
      row.dataset.plan = p.id;
      row.innerHTML = `<span class="plan__name"></span><span class="plan__terms"></span>`;
      row.querySelector('.plan__name').textContent = p.name;
      row.querySelector('.plan__terms').textContent = `${money(p.monthlyPrice)}/mo · ${p.monthlyCredits} credits`;
      if (p.id === status.plan) {
        const tag = document.createElement('span');
        tag.className = 'tag';
        tag.textContent = 'current';
        row.append(tag);
      } else {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = index > current ? 'button button--primary' : 'button';
        button.id = `change-plan-${p.id}`;
        button.dataset.testid = `change-plan-${p.id}`;
        button.textContent = index > current ? `Upgrade to ${p.name}` : `Switch to ${p.name}`;
        button.addEventListener('click', () => changePlan(p.id));
        row.append(button);
      }
      plans.append(row);
    });

    const lots = $('pack-lots');
    lots.innerHTML = '';
    status.packLots.forEach((lot) => {
      const tr = document.createElement('tr');
      tr.dataset.grant = lot.grant;
      [lot.pack, shortDate(lot.purchasedAt), lot.granted, lot.remaining].forEach((cell) => {
        const td = document.createElement('td');
        td.textContent = cell;
        tr.append(td);
      });
      lots.append(tr);
    });
    $('no-lots').hidden = status.packLots.length > 0;
  }

  function renderPacks() {
    const list = $('pack-list');
    list.innerHTML = '';
    catalog.packs.forEach((pack) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'pack';
      button.id = `buy-${pack.id}`;
      button.dataset.testid = `buy-${pack.id}`;
      button.dataset.pack = pack.id;
      button.innerHTML = '<span class="pack__name"></span><span class="pack__price"></span><span class="pack__credits"></span>';
      button.querySelector('.pack__name').textContent = pack.name;
      button.querySelector('.pack__price').textContent = money(pack.price);
      button.querySelector('.pack__credits').textContent = `${pack.credits} credits`;
      button.addEventListener('click', () => buy({ pack: pack.id }, `${pack.name} pack`));
      list.append(button);
    });
    const custom = catalog.customPacks;
    $('custom-pack').hidden = !custom;
    if (custom) {
      $('custom-terms').textContent =
        `${money(custom.minPrice)} to ${money(custom.maxPrice)}, ${custom.creditsPerMajorUnit} credits per dollar`;
    }
  }

  function renderWaysOut(denied) {
    const ways = denied.waysOut;
    $('ways-out-cost').textContent = denied.cost;
    $('ways-out-available').textContent = denied.balanceBefore;
    $('ways-out-shortfall').textContent = denied.shortfall;
    $('ways-out-cost-breakdown').textContent = explain(denied.costBreakdown);

    const smallest = ways.topUp.smallestPack;
    $('ways-out-smallest-pack').textContent = smallest ? `${smallest.name}, ${money(smallest.price)} for ${smallest.credits} credits` : 'none';
    $('ways-out-smallest-pack').dataset.pack = smallest ? smallest.id : '';
    const packs = $('ways-out-packs');
    packs.innerHTML = '';
    // Every pack at least as big as the smallest that covers the shortfall covers it too.
    const from = smallest ? catalog.packs.findIndex((p) => p.id === smallest.id) : catalog.packs.length;
    catalog.packs.slice(from).forEach((pack) => {
      const li = document.createElement('li');
      li.dataset.pack = pack.id;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = pack.id === smallest.id ? 'button button--primary' : 'button';
      button.id = `ways-out-buy-${pack.id}`;
      button.dataset.testid = `ways-out-buy-${pack.id}`;
      button.textContent = `${pack.name} · ${money(pack.price)} · ${pack.credits} credits`;
      button.addEventListener('click', () => buy({ pack: pack.id }, `${pack.name} pack`));
      li.append(button);
      packs.append(li);
    });
    $('ways-out-custom-price').textContent = ways.topUp.customPrice ? money(ways.topUp.customPrice) : '—';
    $('ways-out-custom-price').dataset.amount = ways.topUp.customPrice ? ways.topUp.customPrice.amount : '';

    const upgrade = ways.upgrade;
    $('ways-out-upgrade-text').hidden = !upgrade;
    $('ways-out-upgrade').hidden = !upgrade;
    $('ways-out-top-plan').hidden = !!upgrade;
    if (upgrade) {
      $('ways-out-upgrade-plan').textContent = upgrade.plan.name;
      $('ways-out-upgrade-plan').dataset.plan = upgrade.plan.id;
      $('ways-out-upgrade-price').textContent = money(upgrade.plan.monthlyPrice);
      $('ways-out-upgrade-credits').textContent = upgrade.plan.monthlyCredits;
      $('ways-out-upgrade').textContent = `Upgrade to ${upgrade.plan.name}`;
      $('ways-out-upgrade').onclick = () => changePlan(upgrade.plan.id);
    }
    $('ways-out-renewal-credits').textContent = ways.renewal.credits;
    setDate($('ways-out-renewal-date'), ways.renewal.renewsAt);
    // The gate's advice marks one of the three: the upgrade when running out is a habit, the
    // smallest pack that covers the gap, or waiting when the renewal comes first.
    const recommended = { 'buy-pack': 'top-up', upgrade: 'upgrade', wait: 'wait' }[ways.recommended ? ways.recommended.advice : ''];
    ['top-up', 'upgrade', 'wait'].forEach((way) => {
      $(`recommended-${way}`).hidden = way !== recommended;
      $(`way-${way}`).classList.toggle('option--recommended', way === recommended);
    });
    $('ways-out').hidden = false;
    $('ways-out').scrollIntoView({ block: 'nearest' });
  }

  // One line per answer, newest first: what was asked, the HTTP status, and what the service said.
  function showAnswer(what, answer) {
    answerCount += 1;
    const json = answer.json || {};
    const li = document.createElement('li');
    li.id = `answer-${answerCount}`;
    li.dataset.testid = 'answer';
    li.dataset.status = String(answer.status);
    li.className = `answer answer--${answer.status < 300 ? 'ok' : answer.status === 402 ? 'denied' : 'error'}`;
    const head = document.createElement('div');
    head.className = 'answer__head';
    const title = document.createElement('strong');
    title.textContent = what;
    const code = document.createElement('span');
    code.className = 'answer__status';
    code.textContent = String(answer.status);
    const summary = document.createElement('span');
    summary.className = 'answer__summary';
    summary.textContent = summarize(answer);
    head.append(title, code, summary);
    li.append(head);
    // A decision (allowed or denied) or a settlement: how the meter got to its cost.
    if (json.costBreakdown) {
      const cost = document.createElement('p');
      cost.className = 'answer__cost';
      cost.append(json.decision === 'denied' ? 'Would have cost: ' : 'Cost: ');
      const sentence = document.createElement('span');
      sentence.className = 'answer__sentence';
      sentence.textContent = explain(json.costBreakdown);
      cost.append(sentence);
      li.append(cost);
    }
    const details = document.createElement('details');
    const label = document.createElement('summary');
    label.textContent = 'JSON';
    const pre = document.createElement('pre');
    pre.textContent = JSON.stringify(json, null, 2);
    details.append(label, pre);
    li.append(details);
    $('answers').prepend(li);
  }

  function summarize({ status: code, json, retryAfter }) {
    if (!json) return '';
    if (code >= 400 && code !== 402) {
      return `${json.title || 'Error'}: ${json.detail || ''}${retryAfter ? ` (retry after ${retryAfter} s)` : ''}`;
    }
    if (json.decision === 'denied') return `Denied: costs ${json.cost}, ${json.shortfall} short`;
    if (json.decision === 'allowed') return `Allowed: ${json.cost === '0' ? 'free' : `charged ${json.cost}`}, ${json.balanceAfter} left`;
    if (json.hold !== undefined) return `Charged ${json.charged} (${json.held} set aside), ${json.balanceAfter} left`;
    if (json.grant !== undefined) return `+${json.credits} credits, ${json.balanceAfter} available`;
    if (json.from !== undefined) return `${json.from} → ${json.to}${json.immediate ? ', at once' : `, from ${longDate(json.effectiveAt)}`}`;
    return '';
  }

  // -------------------------------------------------------------------------------------- actions

  // Runs one request at a time: the wallet is read again, then the answer is shown (so the page
  // is up to date when its answer appears), and the buttons are disabled meanwhile.
  let busy = false;
  async function act(what, request, onAnswer) {
    if (busy) return;
    busy = true;
    document.body.dataset.busy = 'true';
    try {
      const answer = await request();
      if (onAnswer) onAnswer(answer);
      await refresh();
      showAnswer(what, answer);
    } catch (e) {
      showAnswer(what, { status: 0, json: { title: 'Network error', detail: String(e) } });
    } finally {
      busy = false;
      delete document.body.dataset.busy;
    }
  }

  function sendAiChange(event) {
    event.preventDefault();
    const body = {
      estimatedTokens: Number($('estimated-tokens').value),
      actualTokens: Number($('actual-tokens').value),
      outcome: { kind: $('outcome').value, retryOf: '' },
    };
    act('AI change', () => call('POST', `${api}/ai-changes`, { body, key: newKey() }), (answer) => {
      if (answer.status === 402) renderWaysOut(answer.json);
      else if (answer.status === 200) $('ways-out').hidden = true;
    });
  }

  function freeAction(operation, label) {
    act(label, () => call('POST', `${api}/actions/${encodeURIComponent(operation)}`, { key: newKey() }));
  }

  // What the payment provider does once a payment is confirmed: it calls the service's webhook.
  function buy(purchase, label) {
    const body = { paymentId: `pi_${newKey()}`, account, ...purchase };
    act(label, () => call('POST', '/api/webhooks/payments', { body }), (answer) => {
      if (answer.status === 200) $('ways-out').hidden = true;
    });
  }

  function changePlan(planId) {
    const plan = planOf(planId);
    act(`Plan: ${plan ? plan.name : planId}`, () => call('PUT', `${api}/plan`, { body: { plan: planId }, key: newKey() }),
      (answer) => { if (answer.status === 200) $('ways-out').hidden = true; });
  }

  function openPopover(withPacks) {
    $('credit-popover').hidden = false;
    $('credit-widget-button').setAttribute('aria-expanded', 'true');
    if (withPacks) $('packs').hidden = false;
  }

  function closePopover() {
    $('credit-popover').hidden = true;
    $('packs').hidden = true;
    $('credit-widget-button').setAttribute('aria-expanded', 'false');
  }

  function show(view) {
    $('view-build').hidden = view !== 'build';
    $('view-billing').hidden = view !== 'billing';
    $('nav-build').classList.toggle('nav__link--active', view === 'build');
    $('account-menu').classList.toggle('nav__link--active', view === 'billing');
  }

  function wire() {
    $('credit-widget-button').addEventListener('click', () => {
      if ($('credit-popover').hidden) openPopover(false); else closePopover();
    });
    $('get-more-credits').addEventListener('click', () => { $('packs').hidden = !$('packs').hidden; });
    $('custom-pack').addEventListener('submit', (event) => {
      event.preventDefault();
      const amount = $('custom-price').value.trim().replace(/^\$/, '');
      buy({ customPrice: { amount, currency: 'USD' } }, `Custom pack ${amount ? `$${amount}` : ''}`);
    });
    $('ai-change-form').addEventListener('submit', sendAiChange);
    document.querySelectorAll('.presets .chip').forEach((chip) => chip.addEventListener('click', () => {
      $('estimated-tokens').value = chip.dataset.estimate;
      $('actual-tokens').value = chip.dataset.actual;
    }));
    document.querySelectorAll('[data-operation]').forEach((button) =>
      button.addEventListener('click', () => freeAction(button.dataset.operation, button.textContent)));
    $('nav-build').addEventListener('click', () => show('build'));
    $('account-menu').addEventListener('click', () => {
      const items = $('account-menu-items');
      items.hidden = !items.hidden;
      $('account-menu').setAttribute('aria-expanded', String(!items.hidden));
    });
    $('menu-billing').addEventListener('click', () => {
      $('account-menu-items').hidden = true;
      $('account-menu').setAttribute('aria-expanded', 'false');
      show('billing');
    });
    document.addEventListener('click', (event) => {
      if (!$('credit-widget').contains(event.target) && !event.target.closest('.notice')) closePopover();
      if (!event.target.closest('.menu')) $('account-menu-items').hidden = true;
    });
  }

  async function start() {
    wire();
    const answer = await call('GET', '/api/catalog');
    catalog = answer.json;
    renderPacks();
    await refresh();
    document.body.dataset.ready = 'true';
  }

  start();
})();
