package dev.creditgate.postgresql.chaos;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on the loopback between the gates' connection pools and PostgreSQL, which follows the
 * PostgreSQL wire protocol (v3) just far enough to break a connection at a chosen message:
 *
 * <ul>
 *   <li>{@link #swallowCommitReplies(int)}: the next {@code n} times the server answers a
 *       {@code COMMIT} with {@code CommandComplete "COMMIT"} (the transaction is committed by
 *       then), that reply and everything after it are dropped and the client's connection is
 *       reset: the client cannot know that its commit landed. {@link #swallowCommitRepliesFor}
 *       does so to every commit for a while (a partition right after the commit).
 *   <li>{@link #resetNextStatements(int, boolean)}: the next {@code n} statements a client sends
 *       (a {@code Query}, or an extended-protocol {@code Execute}) reset its connection, either
 *       before the server sees the statement, or once the statement and its {@code Sync} were
 *       handed to the server, which then runs it with no one to answer.
 *   <li>{@link #stall(long)}: no byte goes either way for a while.
 * </ul>
 *
 * <p>Blocking sockets, two threads per connection (one per direction); every thread is a daemon
 * and {@link #close()} ends them all. The proxy counts what it actually did, so a test reports
 * faults that fired rather than faults it asked for.
 */
final class WireProxy implements AutoCloseable {
  /*
   * The framing, as far as this proxy needs it (PostgreSQL docs, "Frontend/Backend Protocol",
   * "Message Formats"):
   *
   *  - Every message after start-up is: 1 type byte, an int32 length that counts itself and the
   *    payload but not the type byte, then the payload.
   *  - The client's first message has no type byte: int32 length, int32 code, payload. The code is
   *    the protocol version (StartupMessage), 80877102 (CancelRequest), 80877103 (SSLRequest) or
   *    80877104 (GSSENCRequest). After an SSL or GSS request another untyped message follows.
   *  - The server answers an SSL or GSS request with one unframed byte: 'N' (go on in the clear),
   *    or 'S' / 'G' (encryption follows: the proxy then stops parsing and only relays). The suite
   *    connects with sslmode=disable and gssEncMode=disable, so this is only a safeguard.
   *  - Server 'C' (CommandComplete) carries the command tag as a C string: "COMMIT" only when the
   *    transaction committed (an aborted transaction's COMMIT answers "ROLLBACK"). The proxy spots
   *    commits by this reply rather than by the client's COMMIT text: once the driver has
   *    prepared a statement (after 5 uses), only a Bind and an Execute of its name go out, with no
   *    text; and the tag also says that the commit landed before its reply is dropped.
   *  - Client 'Q' (Query) is a statement of the simple protocol; 'E' (Execute) runs a portal of the
   *    extended protocol, and 'S' (Sync) ends the batch: PostgreSQL's JDBC driver sends
   *    Parse/Bind/Describe/Execute... and one Sync per call, the store's write and its COMMIT
   *    included (two statements, one Sync).
   */
  private static final int SSL_REQUEST = 80877103;
  private static final int GSS_REQUEST = 80877104;
  private static final byte[] COMMIT_TAG = "COMMIT".getBytes(StandardCharsets.US_ASCII);

  private final int upstreamPort;
  private final ServerSocket listener;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "chaos-proxy");
    t.setDaemon(true);
    return t;
  });
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final Armed commitRepliesToSwallow = new Armed();
  private volatile long swallowAllCommitRepliesUntil = System.nanoTime();
  private final Armed resetsBeforeSending = new Armed();
  private final Armed resetsAfterSending = new Armed();
  private volatile long stalledUntil = System.nanoTime();
  private volatile boolean closed;

  /** Connections accepted from clients. */
  final AtomicInteger accepted = new AtomicInteger();
  /** Clients whose connection was closed because the server could not be reached. */
  final AtomicInteger upstreamRefused = new AtomicInteger();
  /** {@code CommandComplete "COMMIT"} replies seen, swallowed or not. */
  final AtomicInteger commitReplies = new AtomicInteger();
  /** Commit replies dropped, their connection reset. */
  final AtomicInteger commitRepliesSwallowed = new AtomicInteger();
  /** Connections reset before the server saw their statement. */
  final AtomicInteger resetBeforeStatement = new AtomicInteger();
  /** Connections reset after their statement went to the server. */
  final AtomicInteger resetAfterStatement = new AtomicInteger();
  /** Writes that a stall held back. */
  final AtomicInteger stalledWrites = new AtomicInteger();

  /** A proxy on an ephemeral loopback port that relays to PostgreSQL on {@code upstreamPort}. */
  WireProxy(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  /** The loopback port clients connect to. */
  int port() {
    return listener.getLocalPort();
  }

  /** Swallows the server's next {@code n} commit replies (each resets its client's connection). */
  void swallowCommitReplies(int n) {
    commitRepliesToSwallow.arm(n);
  }

  /** Swallows every commit reply for {@code millis} from now. */
  void swallowCommitRepliesFor(long millis) {
    swallowAllCommitRepliesUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
  }

  /**
   * Resets the connection of each of the next {@code n} statements clients send: before the
   * server sees it, or, if {@code afterSending}, once it and its Sync were handed to the server.
   */
  void resetNextStatements(int n, boolean afterSending) {
    (afterSending ? resetsAfterSending : resetsBeforeSending).arm(n);
  }

  /** Holds every byte, both ways, for {@code millis} from now. */
  void stall(long millis) {
    stalledUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
  }

  /** Stops arming: nothing pending fires any more (faults already under way finish). */
  void disarm() {
    commitRepliesToSwallow.disarm();
    resetsBeforeSending.disarm();
    resetsAfterSending.disarm();
    swallowAllCommitRepliesUntil = System.nanoTime();
    stalledUntil = System.nanoTime();
  }

  /** Connections open through the proxy now. */
  int openLinks() {
    return links.size();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.incrementAndGet();
      Socket server = new Socket();
      try {
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 1_000);
      } catch (IOException e) {
        // The server is down (stopped for a restart): the client sees its connection attempt fail.
        upstreamRefused.incrementAndGet();
        abort(client);
        closeQuietly(server);
        continue;
      }
      Link link = new Link(client, server);
      links.add(link);
      try {
        threads.execute(() -> link.pump(true));
        threads.execute(() -> link.pump(false));
      } catch (RejectedExecutionException e) {
        link.cut(false); // the proxy is closing
        return;
      }
    }
  }

  /** Stops accepting, resets every connection and waits (bounded) for the proxy's threads to end. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(listener);
    for (Link link : links) {
      link.cut(false);
    }
    threads.shutdownNow();
    try {
      if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("proxy threads did not end within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What to do with a message that was read. */
  private enum Verdict {
    FORWARD,
    /** Forward what came before it; drop it and everything after; reset both sides. */
    CUT,
    /** Forward it, then reset the client and end the server side gracefully, so it runs it. */
    SEND_THEN_CUT
  }

  /** One client connection and the server connection it is relayed to. */
  private final class Link {
    private final Socket client;
    private final Socket server;
    private final AtomicBoolean cut = new AtomicBoolean();
    /** One-byte replies the server owes to SSL or GSS requests the client sent. */
    private final AtomicInteger oneByteReplies = new AtomicInteger();
    /** Set once encryption was agreed: from then on the bytes are only relayed. */
    private volatile boolean opaque;
    /** An armed reset waits for the Sync that ends its statement's batch (client pump only). */
    private boolean cutAtSync;

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    /** Relays one direction, message by message, until either side closes or the link is cut. */
    void pump(boolean fromClient) {
      Framer framer = new Framer(fromClient, oneByteReplies);
      byte[] chunk = new byte[16 * 1024];
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        InputStream in = (fromClient ? client : server).getInputStream();
        OutputStream to = (fromClient ? server : client).getOutputStream();
        while (true) {
          int n = in.read(chunk);
          if (n < 0 || cut.get()) {
            return;
          }
          out.reset();
          Verdict verdict = Verdict.FORWARD;
          if (opaque) {
            out.write(chunk, 0, n);
          } else {
            framer.append(chunk, n);
            while (verdict == Verdict.FORWARD && framer.nextLength() > 0) {
              byte type = framer.type();
              verdict = fromClient ? fromClient(framer, type) : fromServer(framer, type);
              if (verdict != Verdict.CUT) {
                framer.copyMessage(out);
              }
              framer.consume();
              if (opaque) {
                framer.drainTo(out); // the rest is encrypted
                break;
              }
            }
          }
          waitOutStall();
          if (out.size() > 0) {
            to.write(out.toByteArray());
            to.flush();
          }
          if (verdict != Verdict.FORWARD) {
            cut(verdict == Verdict.SEND_THEN_CUT);
            return;
          }
        }
      } catch (IOException e) {
        // One side closed or reset (a terminated backend, a stopped server, a cut link).
      } finally {
        cut(false);
      }
    }

    /** Inspects a message from the client (the framer is on it). */
    private Verdict fromClient(Framer framer, byte type) {
      if (type == Framer.UNTYPED) {
        int code = framer.untypedCode();
        if (code == SSL_REQUEST || code == GSS_REQUEST) {
          oneByteReplies.incrementAndGet();
          framer.expectAnotherUntyped();
        }
        return Verdict.FORWARD;
      }
      if (cutAtSync) {
        return type == 'S' ? Verdict.SEND_THEN_CUT : Verdict.FORWARD;
      }
      if (type != 'Q' && type != 'E') {
        return Verdict.FORWARD;
      }
      if (resetsBeforeSending.take()) {
        resetBeforeStatement.incrementAndGet();
        return Verdict.CUT;
      }
      if (resetsAfterSending.take()) {
        resetAfterStatement.incrementAndGet();
        if (type == 'Q') {
          return Verdict.SEND_THEN_CUT; // a simple Query is a batch of its own
        }
        cutAtSync = true; // an Execute's batch goes on to its Sync
      }
      return Verdict.FORWARD;
    }

    /** Inspects a message from the server (the framer is on it). */
    private Verdict fromServer(Framer framer, byte type) {
      if (type == Framer.ONE_BYTE) {
        if (framer.oneByte() != 'N') {
          opaque = true; // TLS or GSS encryption follows
        }
        return Verdict.FORWARD;
      }
      if (type == 'C' && framer.payloadIsCString(COMMIT_TAG)) {
        commitReplies.incrementAndGet();
        if (System.nanoTime() - swallowAllCommitRepliesUntil < 0 || commitRepliesToSwallow.take()) {
          commitRepliesSwallowed.incrementAndGet();
          return Verdict.CUT;
        }
      }
      return Verdict.FORWARD;
    }

    /**
     * Resets the client at once. The server side is closed too, or, if {@code letServerFinish},
     * ended with a FIN after what it was sent: the backend reads up to it, runs it, and its replies
     * are read and dropped.
     */
    void cut(boolean letServerFinish) {
      if (!cut.compareAndSet(false, true)) {
        return;
      }
      abort(client);
      if (!letServerFinish || closed) {
        closeQuietly(server);
        links.remove(this);
        return;
      }
      try {
        server.shutdownOutput();
        threads.execute(this::drainServer);
      } catch (IOException | RuntimeException e) {
        closeQuietly(server);
        links.remove(this);
      }
    }

    private void drainServer() {
      try (Socket s = server) {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        byte[] sink = new byte[4096];
        while (in.read(sink) >= 0) {
          // the replies go nowhere: the client is gone
        }
      } catch (IOException ignored) {
        // closed either way
      } finally {
        links.remove(this);
      }
    }
  }

  /**
   * Cuts one direction's byte stream into whole messages (see the framing above): an untyped
   * start-up message, a one-byte reply to an SSL or GSS request, or a typed message.
   */
  private static final class Framer {
    static final byte UNTYPED = 0;
    static final byte ONE_BYTE = 1;

    private final boolean fromClient;
    /** Shared with the other direction: the client's pump counts the requests, this one the replies. */
    private final AtomicInteger oneByteReplies;
    private byte[] buffer = new byte[16 * 1024];
    private int start;
    private int end;
    private int untypedExpected;
    private byte type;
    private int length;

    Framer(boolean fromClient, AtomicInteger oneByteReplies) {
      this.fromClient = fromClient;
      this.oneByteReplies = oneByteReplies;
      this.untypedExpected = fromClient ? 1 : 0;
    }

    void append(byte[] data, int n) {
      if (end + n > buffer.length) {
        int pending = end - start;
        byte[] target = pending + n > buffer.length ? new byte[Math.max(buffer.length * 2, pending + n)] : buffer;
        System.arraycopy(buffer, start, target, 0, pending);
        buffer = target;
        start = 0;
        end = pending;
      }
      System.arraycopy(data, 0, buffer, end, n);
      end += n;
    }

    /** Positions on the next message: its length with its header, or 0 while it is incomplete. */
    int nextLength() {
      int pending = end - start;
      if (!fromClient && oneByteReplies.get() > 0) {
        type = ONE_BYTE;
        length = 1;
      } else if (untypedExpected > 0) {
        if (pending < 8) {
          return 0;
        }
        type = UNTYPED;
        length = intAt(start);
      } else {
        if (pending < 5) {
          return 0;
        }
        type = buffer[start];
        length = 1 + intAt(start + 1);
      }
      return pending >= length ? length : 0;
    }

    byte type() {
      return type;
    }

    int untypedCode() {
      return intAt(start + 4);
    }

    void expectAnotherUntyped() {
      untypedExpected++;
    }

    byte oneByte() {
      return buffer[start];
    }

    /** Whether the typed message's payload is the C string {@code text} (and its NUL). */
    boolean payloadIsCString(byte[] text) {
      int from = start + 5;
      return length == 5 + text.length + 1
          && Arrays.equals(buffer, from, from + text.length, text, 0, text.length)
          && buffer[from + text.length] == 0;
    }

    void copyMessage(ByteArrayOutputStream out) {
      out.write(buffer, start, length);
    }

    /** Moves past the message it is on. */
    void consume() {
      if (type == ONE_BYTE) {
        oneByteReplies.decrementAndGet();
      } else if (type == UNTYPED) {
        untypedExpected--;
      }
      start += length;
    }

    void drainTo(ByteArrayOutputStream out) {
      out.write(buffer, start, end - start);
      start = end;
    }

    private int intAt(int i) {
      return (buffer[i] & 0xff) << 24 | (buffer[i + 1] & 0xff) << 16 | (buffer[i + 2] & 0xff) << 8
          | (buffer[i + 3] & 0xff);
    }
  }

  private void waitOutStall() {
    if (stalledUntil - System.nanoTime() > 0) {
      stalledWrites.incrementAndGet();
    }
    for (long left; (left = stalledUntil - System.nanoTime()) > 0 && !closed; ) {
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Closes {@code s} with a TCP reset rather than a graceful end, as a broken network would. */
  private static void abort(Socket s) {
    try {
      s.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // closing anyway
    }
    closeQuietly(s);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing anyway
    }
  }
}
