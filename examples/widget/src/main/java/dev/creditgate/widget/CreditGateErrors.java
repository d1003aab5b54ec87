package dev.creditgate.widget;

import dev.creditgate.CreditGateException;
import dev.creditgate.CreditOverflowException;
import dev.creditgate.HoldStateException;
import dev.creditgate.IdempotencyConflictException;
import dev.creditgate.InvalidRequestException;
import dev.creditgate.UnknownAccountException;
import dev.creditgate.UnknownCatalogItemException;
import dev.creditgate.UnknownMemberException;
import dev.creditgate.UnknownOperationException;
import dev.creditgate.spi.CommitOutcomeUnknownException;
import dev.creditgate.spi.SchemaMismatchException;
import dev.creditgate.spi.SchemaMissingException;
import dev.creditgate.spi.StoreException;
import dev.creditgate.spi.StoreFaultException;
import dev.creditgate.spi.StoreUnavailableException;
import dev.creditgate.spi.UnreadableWalletException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;

/**
 * Every creditgate exception, and every malformed request, as an RFC 9457 problem detail. A denial
 * for lack of credits is not here: it is an answer, 402 with the decision (see
 * {@link CreditController}).
 *
 * <table>
 *   <caption>status by exception</caption>
 *   <tr><th>exception</th><th>status</th><th>properties</th></tr>
 *   <tr><td>{@code InvalidRequestException}, a malformed body or header</td><td>400</td><td>argument, value</td></tr>
 *   <tr><td>{@code CreditOverflowException}</td><td>400</td><td>value</td></tr>
 *   <tr><td>{@code UnknownCatalogItemException} (a plan or pack id in the body)</td><td>400</td><td>kind, id</td></tr>
 *   <tr><td>{@code UnknownAccountException}, {@code UnknownOperationException}, {@code UnknownMemberException}</td><td>404</td><td>account, operation, member</td></tr>
 *   <tr><td>{@code IdempotencyConflictException}, {@code HoldStateException}</td><td>409</td><td>key; hold, state</td></tr>
 *   <tr><td>{@code StoreUnavailableException}, a plain {@code StoreException} (contended beyond the retry budget),
 *       {@code CommitOutcomeUnknownException}</td><td>503, Retry-After</td><td>retrySafe</td></tr>
 *   <tr><td>{@code StoreFaultException}, {@code SchemaMissingException}, {@code SchemaMismatchException},
 *       {@code UnreadableWalletException}</td><td>500</td><td>(an operator must act; details in the log only)</td></tr>
 * </table>
 */
@RestControllerAdvice
class CreditGateErrors extends ResponseEntityExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(CreditGateErrors.class);
  /** Seconds a client waits before repeating a call the store could not serve: the gate's retry budget. */
  static final String RETRY_AFTER_SECONDS = "2";

  @ExceptionHandler
  ProblemDetail invalidRequest(InvalidRequestException e) {
    ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
    e.argument().ifPresent(argument -> problem.setProperty("argument", argument));
    e.value().ifPresent(value -> problem.setProperty("value", value));
    return problem;
  }

  @ExceptionHandler
  ProblemDetail creditOverflow(CreditOverflowException e) {
    ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Amount out of range", e.getMessage());
    problem.setProperty("value", e.value());
    return problem;
  }

  @ExceptionHandler
  ProblemDetail unknownCatalogItem(UnknownCatalogItemException e) {
    ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Unknown plan or pack", e.getMessage());
    problem.setProperty("kind", e.kind().name());
    problem.setProperty("id", e.id());
    return problem;
  }

  @ExceptionHandler
  ProblemDetail unknownAccount(UnknownAccountException e) {
    ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "Unknown account", e.getMessage());
    problem.setProperty("account", e.account().value());
    return problem;
  }

  @ExceptionHandler
  ProblemDetail unknownOperation(UnknownOperationException e) {
    ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "Unknown operation", e.getMessage());
    problem.setProperty("operation", e.operation().id());
    return problem;
  }

  @ExceptionHandler
  ProblemDetail unknownMember(UnknownMemberException e) {
    ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "Unknown member", e.getMessage());
    problem.setProperty("account", e.account().value());
    problem.setProperty("member", e.member().value());
    return problem;
  }

  @ExceptionHandler
  ProblemDetail idempotencyConflict(IdempotencyConflictException e) {
    ProblemDetail problem = problem(HttpStatus.CONFLICT, "Idempotency key already used",
        "the Idempotency-Key " + e.key().value() + " was used for another request; make a new key for a new request");
    problem.setProperty("key", e.key().value());
    return problem;
  }

  @ExceptionHandler
  ProblemDetail holdState(HoldStateException e) {
    ProblemDetail problem = problem(HttpStatus.CONFLICT, "Hold not in that state", e.getMessage());
    problem.setProperty("hold", e.hold());
    problem.setProperty("state", e.state().name());
    return problem;
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> commitOutcomeUnknown(CommitOutcomeUnknownException e) {
    log.debug("{}", e.getMessage());   // the gate has logged the give-up
    return retryLater(problem(HttpStatus.SERVICE_UNAVAILABLE, "Outcome unknown",
        "the request may have been applied; repeat it with the same Idempotency-Key to get its answer"));
  }

  @ExceptionHandler({StoreUnavailableException.class, StoreException.class})
  ResponseEntity<ProblemDetail> storeUnavailable(StoreException e) {
    log.debug("{}", e.getMessage());   // the gate has logged the give-up
    return retryLater(problem(HttpStatus.SERVICE_UNAVAILABLE, "Wallets unavailable",
        "the wallet store could not be reached; nothing was changed, try again"));
  }

  @ExceptionHandler({StoreFaultException.class, SchemaMissingException.class, SchemaMismatchException.class,
      UnreadableWalletException.class})
  ProblemDetail operatorMustAct(StoreException e) {
    log.error("The wallet store needs an operator: {}", e.getMessage(), e);
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Wallet store failure", "the wallet store failed; nothing was changed");
  }

  @ExceptionHandler
  ProblemDetail other(CreditGateException e) {
    log.error("Unmapped creditgate exception", e);
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "the request failed");
  }

  /** A body that is not JSON, or whose JSON a creditgate shape or a request record refuses: 400, naming the value. */
  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
      HttpStatusCode status, WebRequest request) {
    ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Malformed request body", "the request body is not valid JSON");
    if (e.getMostSpecificCause() instanceof JacksonException jackson) {
      String path = jackson.getPath().isEmpty() ? "" : pathOf(jackson) + ": ";
      problem.setDetail(path + jackson.getOriginalMessage());
      if (!path.isEmpty()) {
        problem.setProperty("argument", pathOf(jackson));
      }
      if (jackson instanceof InvalidFormatException invalid && invalid.getValue() != null) {
        problem.setProperty("value", String.valueOf(invalid.getValue()));
      }
    }
    return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, request);
  }

  private static String pathOf(JacksonException e) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference reference : e.getPath()) {
      if (reference.getPropertyName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(reference.getPropertyName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static ResponseEntity<ProblemDetail> retryLater(ProblemDetail problem) {
    problem.setProperty("retrySafe", true);
    return ResponseEntity.status(problem.getStatus()).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).body(problem);
  }

  private static ProblemDetail problem(HttpStatus status, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    return problem;
  }
}
