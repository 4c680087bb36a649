package com.dce.etl.http;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Reads the bytes of each HTTP/1.1 request on a connection before Netty's decoder does, passing them on unchanged,
 * to refuse what the decoder would let through and to bound how long a request may take:
 * <ul>
 * <li>a request whose headers give both {@code Content-Length} and {@code Transfer-Encoding}, several
 * {@code Content-Length}s, a {@code Transfer-Encoding} other than {@code chunked}, or a folded header line
 * (obsolete since RFC 7230) gets 400 and the connection is closed: the decoder would have picked one reading, a proxy
 * in front may pick another (request smuggling);</li>
 * <li>a body announced or found larger than the limit gets 413 and the connection is closed at once, instead of the
 * rest being read (an unauthenticated chunked POST kept the server reading 82.8 GB in 30 s);</li>
 * <li>the headers of a request must be complete within the header time from their first byte, and its body within
 * the body time after them: a client sending a byte a second is closed, not waited for (a connection sending nothing
 * at all is closed by the server's idle timeout, or sooner by {@link ConnectionLimit} when connections run out).</li>
 * </ul>
 * It also knows whether its connection is idle (between requests, no answer owed), for {@link ConnectionLimit}.
 */
final class RequestFramingGuard extends ChannelInboundHandlerAdapter {
    /** Vert.x's own limits (HttpServerOptions defaults), answered here in JSON like every other refusal. */
    private static final int MAX_REQUEST_LINE = 4096;
    private static final int MAX_HEADERS = 8192;
    /**
     * After a refusal the rest of the request is read and dropped for a little while before the connection closes:
     * closing with unread bytes resets the connection, and the client would see the reset instead of the answer.
     */
    private static final long LINGER_MILLIS = 1000;
    private static final long LINGER_BYTES = 1024 * 1024;

    private enum State { HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, CLOSED }

    private final long maxBody;
    private final long headerTimeoutMillis;
    private final long bodyTimeoutMillis;

    private State state = State.HEAD;
    private final StringBuilder line = new StringBuilder();
    private final StringBuilder head = new StringBuilder();
    private long remaining;
    private long bodyRead;
    private int requestLineLength = -1;
    private long lingered;
    private ScheduledFuture<?> deadline;
    private ChannelHandlerContext context;
    /** Requests read whose answer is not yet written. */
    private volatile int answersOwed;
    private volatile long idleSinceNanos = System.nanoTime();

    RequestFramingGuard(long maxBody, long headerTimeoutMillis, long bodyTimeoutMillis) {
        this.maxBody = maxBody;
        this.headerTimeoutMillis = headerTimeoutMillis;
        this.bodyTimeoutMillis = bodyTimeoutMillis;
    }

    /** Goes behind the response encoder's input: sees where each answer ends. */
    ChannelOutboundHandlerAdapter answerEnds() {
        return new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
                if (message instanceof LastHttpContent) {
                    promise = promise.unvoid();
                    promise.addListener(written -> answerWritten());
                }
                ctx.write(message, promise);
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelDeadline();
    }

    /** Between requests with no answer owed: the connection may be closed without anyone losing a request. */
    boolean isIdle() {
        return state == State.HEAD && head.length() == 0 && answersOwed == 0;
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }

    /** Closes the connection for a new one ({@link ConnectionLimit}); runs on the connection's own thread. */
    void closeIdle() {
        ChannelHandlerContext ctx = context;
        if (ctx != null) {
            ctx.executor().execute(() -> {
                if (isIdle()) {
                    state = State.CLOSED;
                    ctx.close();
                }
            });
        }
    }

    private void answerWritten() {
        answersOwed = Math.max(0, answersOwed - 1);
        idleSinceNanos = System.nanoTime();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (state == State.CLOSED) {
            if (message instanceof ByteBuf dropped) {
                lingered += dropped.readableBytes();
                if (lingered > LINGER_BYTES) {
                    ctx.close();
                }
            }
            ReferenceCountUtil.release(message);
            return;
        }
        if (!(message instanceof ByteBuf bytes)) {
            ctx.fireChannelRead(message);
            return;
        }
        String refusal = null;
        for (int i = bytes.readerIndex(); i < bytes.writerIndex() && refusal == null; i++) {
            refusal = accept(ctx, bytes.getByte(i));
            if ((state == State.BODY || state == State.CHUNK_DATA) && remaining > 0) {
                // a known length: skip over it without looking at each byte
                long skip = Math.min(remaining, bytes.writerIndex() - (i + 1L));
                remaining -= skip;
                i += (int) skip;
                if (remaining == 0) {
                    if (state == State.BODY) {
                        requestDone(ctx);
                    } else {
                        state = State.CHUNK_DATA_END;
                    }
                }
            }
        }
        if (refusal != null) {
            ReferenceCountUtil.release(bytes);
            refuse(ctx, refusal);
            return;
        }
        ctx.fireChannelRead(bytes);
    }

    /** Takes one byte; returns the status line and reason when the request must be refused. */
    private String accept(ChannelHandlerContext ctx, byte b) {
        switch (state) {
            case HEAD -> {
                if (head.length() == 0) {
                    if (b == '\r' || b == '\n') {
                        return null; // blank lines before a request are allowed (RFC 9112 2.2)
                    }
                    expectBy(ctx, headerTimeoutMillis, "request headers");
                }
                head.append((char) (b & 0xff));
                if (requestLineLength < 0) {
                    if (b == '\n') {
                        requestLineLength = head.length();
                        String version = head.toString().strip();
                        version = version.substring(version.lastIndexOf(' ') + 1);
                        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
                            return "505 HTTP Version Not Supported|this server speaks HTTP/1.1";
                        }
                    } else if (head.length() > MAX_REQUEST_LINE) {
                        return "414 URI Too Long|the request line is longer than " + MAX_REQUEST_LINE + " bytes";
                    }
                } else if (head.length() - requestLineLength > MAX_HEADERS) {
                    return "431 Request Header Fields Too Large|the request headers are longer than " + MAX_HEADERS
                            + " bytes";
                }
                if (endsWith(head, "\r\n\r\n") || head.length() >= 2 && endsWith(head, "\n\n")) {
                    return headComplete(ctx);
                }
            }
            case BODY -> {
                // channelRead skips the body in bulk; this is its first byte
                if (--remaining == 0) {
                    requestDone(ctx);
                }
            }
            case CHUNK_SIZE -> {
                if (b == '\n') {
                    String size = line.toString().trim();
                    line.setLength(0);
                    int extension = size.indexOf(';');
                    long chunk;
                    try {
                        chunk = Long.parseLong(extension < 0 ? size : size.substring(0, extension).trim(), 16);
                    } catch (NumberFormatException e) {
                        return "400 Bad Request|chunk size '" + shorten(size) + "' is not hexadecimal";
                    }
                    bodyRead += chunk;
                    if (bodyRead > maxBody) {
                        return "413 Payload Too Large|body is larger than " + maxBody + " bytes";
                    }
                    remaining = chunk;
                    state = chunk == 0 ? State.TRAILERS : State.CHUNK_DATA;
                } else if (line.length() < 1024) {
                    line.append((char) (b & 0xff));
                }
            }
            case CHUNK_DATA -> {
                if (--remaining == 0) {
                    state = State.CHUNK_DATA_END;
                }
            }
            case CHUNK_DATA_END -> {
                if (b == '\n') {
                    state = State.CHUNK_SIZE;
                }
            }
            case TRAILERS -> {
                line.append((char) (b & 0xff));
                if (b == '\n') {
                    boolean blank = line.toString().trim().isEmpty();
                    line.setLength(0);
                    if (blank) {
                        requestDone(ctx);
                    }
                }
            }
            case CLOSED -> {
                return null;
            }
        }
        return null;
    }

    /** The header block of a request is complete: check it, then expect its body. */
    private String headComplete(ChannelHandlerContext ctx) {
        String block = head.toString();
        head.setLength(0);
        requestLineLength = -1;
        int contentLengths = 0;
        String contentLength = null;
        String transferEncoding = null;
        // line by line without a regular expression: String.split("\r?\n") compiled its pattern for every request,
        // and compiling and matching it were a tenth of the event loop's samples under webhook load
        for (int start = block.indexOf('\n') + 1, end; start < block.length(); start = end + 1) {
            end = block.indexOf('\n', start);
            if (end < 0) {
                end = block.length();
            }
            String headerLine = block.substring(start, end > start && block.charAt(end - 1) == '\r' ? end - 1 : end);
            if (headerLine.isEmpty()) {
                continue;
            }
            if (headerLine.charAt(0) == ' ' || headerLine.charAt(0) == '\t') {
                return "400 Bad Request|a header line is folded onto the previous one";
            }
            int colon = headerLine.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = headerLine.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = headerLine.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                if (++contentLengths > 1 && !value.equals(contentLength)) {
                    return "400 Bad Request|the request has several Content-Length headers";
                }
                contentLength = value;
            } else if (name.equals("transfer-encoding")) {
                if (transferEncoding != null) {
                    return "400 Bad Request|the request has several Transfer-Encoding headers";
                }
                transferEncoding = value.toLowerCase(Locale.ROOT);
            }
        }
        if (contentLength != null && transferEncoding != null) {
            return "400 Bad Request|the request has both Content-Length and Transfer-Encoding";
        }
        bodyRead = 0;
        if (transferEncoding != null) {
            if (!transferEncoding.equals("chunked")) {
                return "400 Bad Request|Transfer-Encoding must be chunked";
            }
            state = State.CHUNK_SIZE;
            expectBy(ctx, bodyTimeoutMillis, "request body");
            return null;
        }
        if (contentLength != null) {
            long length;
            try {
                length = Long.parseLong(contentLength);
            } catch (NumberFormatException e) {
                return "400 Bad Request|Content-Length is not a number";
            }
            if (length < 0) {
                return "400 Bad Request|Content-Length is negative";
            }
            if (length > maxBody) {
                return "413 Payload Too Large|body is larger than " + maxBody + " bytes";
            }
            if (length > 0) {
                remaining = length;
                state = State.BODY;
                expectBy(ctx, bodyTimeoutMillis, "request body");
                return null;
            }
        }
        requestDone(ctx);
        return null;
    }

    /** The request is read: an answer is owed, and the next request's header time starts with its first byte. */
    private void requestDone(ChannelHandlerContext ctx) {
        state = State.HEAD;
        line.setLength(0);
        answersOwed++;
        cancelDeadline();
    }

    private void expectBy(ChannelHandlerContext ctx, long millis, String what) {
        cancelDeadline();
        deadline = ctx.executor().schedule(() -> {
            if (state != State.CLOSED && ctx.channel().isActive()) {
                refuse(ctx, "408 Request Timeout|" + what + " took longer than " + millis / 1000 + " s");
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    /**
     * Answers {@code status|reason}, then reads and drops what the client still sends until it closes, for at most
     * {@link #LINGER_MILLIS} and {@link #LINGER_BYTES}, and closes.
     */
    private void refuse(ChannelHandlerContext ctx, String statusAndReason) {
        state = State.CLOSED;
        cancelDeadline();
        String[] parts = statusAndReason.split("\\|", 2);
        byte[] body = ("{\"error\":\"" + parts[1].replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] answer = ("HTTP/1.1 " + parts[0] + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(answer, body)).addListener((ChannelFutureListener) written -> {
            if (ctx.channel() instanceof SocketChannel socket && written.isSuccess()) {
                socket.shutdownOutput();
                ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                ctx.close();
            }
        });
    }

    private static boolean endsWith(StringBuilder text, String suffix) {
        int start = text.length() - suffix.length();
        if (start < 0) {
            return false;
        }
        for (int i = 0; i < suffix.length(); i++) {
            if (text.charAt(start + i) != suffix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String shorten(String text) {
        return text.length() <= 20 ? text : text.substring(0, 20) + "...";
    }
}
