package io.steward.node.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request over a plain socket bound to a chosen local address: the JDK's HTTP clients cannot pick the
 * source address, and a test of per-address limits needs a second client address (127.0.0.2 on loopback).
 */
public final class RawHttp {
    private RawHttp() {}

    /** The status line's code, the headers and the body, as text. */
    public record Response(int status, String head, String body) {}

    public static Response postJson(String localAddress, int port, String path, String json) {
        return postJson(localAddress, port, path, json, "127.0.0.1:" + port);
    }

    /** As above, with the {@code Host} header a client that reached the node by another name would send. */
    public static Response postJson(String localAddress, int port, String path, String json, String host) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split);
            String rest = split < 0 ? "" : text.substring(split + 4);
            int status = Integer.parseInt(head.substring(9, 12));
            return new Response(status, head, rest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
