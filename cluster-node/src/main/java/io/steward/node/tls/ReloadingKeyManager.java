package io.steward.node.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's certificate and key from PEM files, re-read when the files change (checked at most every
 * {@code checkEvery}, on a handshake), so a renewed certificate is served without a restart. A pair that cannot be
 * used (half written, key and certificate not matching) is logged and the previous one kept. Each loaded pair has
 * its own alias, so a handshake that chose one gets that one's chain and key even if a reload happens meanwhile.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
    private static final Logger log = LoggerFactory.getLogger(ReloadingKeyManager.class);
    private static final int KEPT_GENERATIONS = 4;

    private final Path certFile;
    private final Path keyFile;
    private final long checkEveryNanos;
    private final LongSupplier nanoTime;
    private final Map<String, CertifiedKey> generations = new ConcurrentHashMap<>();
    private volatile String currentAlias;
    private long generation;
    private List<Object> seenStamp;
    private long nextCheck;

    ReloadingKeyManager(Path certFile, Path keyFile, Duration checkEvery, LongSupplier nanoTime) throws IOException {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.checkEveryNanos = checkEvery.toNanos();
        this.nanoTime = nanoTime;
        this.seenStamp = stamp();
        install(CertifiedKey.read(certFile, keyFile));
        this.nextCheck = nanoTime.getAsLong() + checkEveryNanos;
    }

    /** The pair served now. */
    CertifiedKey current() {
        return generations.get(currentAlias);
    }

    /** Re-reads the files if their time or size changed since the last look, at most once per check period. */
    synchronized void reloadIfChanged() {
        long now = nanoTime.getAsLong();
        if (now - nextCheck < 0) {
            return;
        }
        nextCheck = now + checkEveryNanos;
        List<Object> stamp;
        try {
            stamp = stamp();
        } catch (IOException e) {
            log.warn("Cannot look at the TLS files [{}] [{}]; still serving the loaded certificate: {}", certFile,
                    keyFile, e.toString());
            return;
        }
        if (stamp.equals(seenStamp)) {
            return;
        }
        seenStamp = stamp;
        try {
            CertifiedKey loaded = CertifiedKey.read(certFile, keyFile);
            install(loaded);
            log.info("Reloaded the TLS certificate [{}], valid until [{}], SHA-256 [{}]",
                    loaded.leaf().getSubjectX500Principal().getName(), loaded.leaf().getNotAfter().toInstant(),
                    loaded.pin());
        } catch (IOException | RuntimeException e) {
            // Tried again once the files change again (a renewal writing the second file completes the pair).
            log.warn("The TLS files changed but cannot be used; still serving the previous certificate: {}",
                    e.getMessage());
        }
    }

    private void install(CertifiedKey pair) {
        String alias = "steward-" + ++generation;
        generations.put(alias, pair);
        currentAlias = alias;
        generations.keySet().removeIf(old -> Long.parseLong(old.substring("steward-".length()))
                <= generation - KEPT_GENERATIONS);
    }

    private List<Object> stamp() throws IOException {
        return List.of(Files.getLastModifiedTime(certFile), Files.size(certFile),
                Files.getLastModifiedTime(keyFile), Files.size(keyFile));
    }

    private String aliasFor(String keyType) {
        reloadIfChanged();
        String alias = currentAlias;
        String algorithm = generations.get(alias).key().getAlgorithm();
        boolean fits = keyType.equals(algorithm)
                || keyType.equals("RSASSA-PSS") && algorithm.equals("RSA")
                || keyType.equals("EdDSA") && algorithm.equals("Ed25519");
        return fits ? alias : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = aliasFor(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        CertifiedKey pair = generations.get(alias);
        return pair == null ? null : pair.chain().toArray(new X509Certificate[0]);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        CertifiedKey pair = generations.get(alias);
        return pair == null ? null : pair.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
