package io.steward.node.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * One HTTP/1.1 exchange written by hand, over plain TCP or TLS: for what a well-behaved client refuses to send (the
 * JDK's HttpClient will not set a {@code Host} header), e.g. a forged Host.
 */
public final class RawExchange {
    private RawExchange() {}

    /** A response: status code, header lines, body text. */
    public record Response(int status, List<String> headers, String body) {
        /** The first value of a header, by case-insensitive name. */
        public Optional<String> header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headers.stream().filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(line -> line.substring(prefix.length()).strip()).findFirst();
        }
    }

    /**
     * Sends {@code method path} with the given header lines (Host among them, as the caller wants it) and body.
     *
     * @param tls null for plain TCP
     */
    public static Response exchange(SSLContext tls, int port, String method, String path, List<String> headers,
            String body) throws IOException {
        Socket socket = tls == null ? new Socket() : tls.getSocketFactory().createSocket();
        try (socket) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(20_000);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            request.append("Connection: close\r\n");
            if (body != null) {
                request.append("Content-Type: application/json\r\nContent-Length: ").append(content.length)
                        .append("\r\n");
            }
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                throw new IOException("no complete HTTP response: '" + text + "'");
            }
            String[] lines = text.substring(0, end).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            List<String> headerLines = new ArrayList<>(List.of(lines).subList(1, lines.length));
            return new Response(status, List.copyOf(headerLines), text.substring(end + 4));
        }
    }
}
