package io.steward.agent.checks;

import io.steward.core.checks.FailureReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 response read off a socket: status, headers and at most {@code maxBodyBytes} of the body (identity,
 * {@code Content-Length} or chunked; the prober asks for no compression). The time to the first byte is measured
 * from when the request was sent.
 */
record HttpResponse(int status, Map<String, String> headers, byte[] body, int bodyLength, boolean truncated) {
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String bodyText() {
        return new String(body, 0, bodyLength, StandardCharsets.UTF_8);
    }

    static HttpResponse read(Socket socket, boolean headRequest, int maxBodyBytes, Deadline deadline, Phases phases,
            long sentNanos) throws ProbeFailure {
        try {
            Reader in = new Reader(socket, deadline);
            int first = in.read();
            phases.firstByte(sentNanos);
            if (first < 0) {
                throw new ProbeFailure(FailureReason.PROTOCOL, "the server closed the connection without answering");
            }
            String statusLine = (char) first + in.line();
            if (!statusLine.matches("HTTP/1\\.[01] \\d{3}( .*)?")) {
                throw new ProbeFailure(FailureReason.PROTOCOL, "not an HTTP answer: "
                        + statusLine.substring(0, Math.min(80, statusLine.length())));
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = in.line(); !line.isEmpty(); line = in.line()) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.merge(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).strip(), (a, b) -> a + ", " + b);
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            boolean truncated = false;
            boolean noBody = headRequest || status / 100 == 1 || status == 204 || status == 304;
            if (!noBody) {
                String length = headers.get("content-length");
                if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
                    truncated = in.chunked(body, maxBodyBytes);
                } else if (length != null) {
                    long declared = parseLength(length);
                    in.copy(body, Math.min(declared, maxBodyBytes));
                    truncated = declared > maxBodyBytes;
                } else {
                    in.copy(body, maxBodyBytes + 1L); // to the end of the stream: the request said Connection: close
                    truncated = body.size() > maxBodyBytes;
                }
            }
            byte[] bytes = body.toByteArray();
            int bodyLength = Math.min(bytes.length, maxBodyBytes);
            return new HttpResponse(status, headers, bytes, bodyLength, truncated);
        } catch (SocketTimeoutException e) {
            throw deadline.expired("complete answer");
        } catch (IOException e) {
            throw new ProbeFailure(FailureReason.PROTOCOL, "reading the answer failed: " + e.getMessage());
        }
    }

    private static long parseLength(String length) throws ProbeFailure {
        try {
            long value = Long.parseLong(length.strip());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ProbeFailure(FailureReason.PROTOCOL, "bad Content-Length: " + length);
        }
    }

    /** Byte-wise reading with the attempt's deadline before every read; buffered. */
    private static final class Reader {
        private final Socket socket;
        private final InputStream in;
        private final Deadline deadline;
        private final byte[] buffer = new byte[8192];
        private int position;
        private int limit;
        private int headerBytes;

        Reader(Socket socket, Deadline deadline) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
        }

        int read() throws IOException, ProbeFailure {
            if (position == limit && !fill()) {
                return -1;
            }
            return buffer[position++] & 0xff;
        }

        private boolean fill() throws IOException, ProbeFailure {
            socket.setSoTimeout(deadline.remainingMillis("complete answer"));
            int n = in.read(buffer);
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }

        /** One header line without its CRLF. */
        String line() throws IOException, ProbeFailure {
            StringBuilder line = new StringBuilder();
            while (true) {
                int b = read();
                if (b < 0 || b == '\n') {
                    break;
                }
                if (++headerBytes > MAX_HEADER_BYTES) {
                    throw new ProbeFailure(FailureReason.PROTOCOL, "the answer's headers exceed 64 KiB");
                }
                line.append((char) b);
            }
            int end = line.length();
            return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
        }

        /** Copies up to {@code count} bytes (or to the end of the stream); true when that many were copied. */
        boolean copy(ByteArrayOutputStream out, long count) throws IOException, ProbeFailure {
            long left = count;
            while (left > 0) {
                if (position == limit && !fill()) {
                    return false;
                }
                int n = (int) Math.min(left, limit - position);
                out.write(buffer, position, n);
                position += n;
                left -= n;
            }
            return true;
        }

        /** Reads a chunked body, keeping at most {@code max} bytes; true when there was more. */
        boolean chunked(ByteArrayOutputStream out, int max) throws IOException, ProbeFailure {
            while (true) {
                headerBytes = 0; // each chunk-size line is held to the header line limit on its own
                String sizeLine = line();
                int semicolon = sizeLine.indexOf(';');
                long size;
                try {
                    size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
                } catch (NumberFormatException e) {
                    throw new ProbeFailure(FailureReason.PROTOCOL, "bad chunk size: " + sizeLine);
                }
                if (size == 0) {
                    return false; // trailers are not needed: the connection is closed next
                }
                long room = max - out.size();
                if (size > room) {
                    copy(out, room);
                    return true;
                }
                copy(out, size);
                line();
            }
        }
    }
}
