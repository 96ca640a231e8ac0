package io.steward.node.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A real TLS server on loopback for certificate checks: it completes the handshake with whichever certificate it
 * serves now and closes. Given several, it takes turns per connection — a load balancer with one backend still on
 * the old certificate.
 */
public final class TlsTarget implements AutoCloseable {
    private final ServerSocket listener;
    private final AtomicReference<List<SSLContext>> serving;
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    public TlsTarget(SSLContext... contexts) throws IOException {
        this.serving = new AtomicReference<>(List.of(contexts));
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "tls-target");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Serves {@code contexts} from now on (in turns, if more than one). */
    public void serve(SSLContext... contexts) {
        serving.set(List.of(contexts));
    }

    private void accept() {
        while (!listener.isClosed()) {
            try (Socket plain = listener.accept()) {
                List<SSLContext> contexts = serving.get();
                SSLContext context = contexts.get(Math.floorMod(connections.getAndIncrement(), contexts.size()));
                try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, null,
                        plain.getPort(), false)) {
                    tls.setUseClientMode(false);
                    tls.setSoTimeout(5_000);
                    tls.startHandshake();
                } catch (IOException handshakeFailed) {
                    // the client refused the certificate, or only looked: the next connection is served anew
                }
            } catch (IOException closed) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
