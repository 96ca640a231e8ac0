package io.steward.node.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * The real senders: SMTP through Jakarta Mail, and JSON over HTTPS for Telegram, Slack, Discord and generic
 * webhooks. Every network call has a timeout, so a dead receiver costs one pool thread for seconds, not forever.
 * Every destination passes the {@link EgressPolicy} at send time, and HTTP connects only to the addresses it checked.
 */
public final class ChannelSenders implements Sender, AutoCloseable {
    public static final String SIGNATURE_HEADER = "X-Steward-Signature";
    public static final String DELIVERY_HEADER = "X-Steward-Delivery";
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int DISCORD_LIMIT = 2000;
    private static final int MAX_ANSWER = 64 * 1024;

    /** Built at the first webhook or chat delivery: a node that never sends one does not load the client's ~200
     *  classes. */
    private CloseableHttpClient http;
    private boolean closed;
    private final Duration timeout;
    private final EgressPolicy egress;
    private final Clock clock;
    private final String heloName;

    public ChannelSenders(Duration timeout, EgressPolicy egress, Clock clock) {
        this.timeout = timeout;
        this.egress = egress;
        this.clock = clock;
        // Jakarta Mail would look the local name up for every EHLO; once is enough (measured ~100 ms per email here).
        this.heloName = localHostName();
    }

    private synchronized CloseableHttpClient http() throws DeliveryException {
        if (closed) {
            throw new DeliveryException("the node is stopping");
        }
        if (http != null) {
            return http;
        }
        Timeout limit = Timeout.of(timeout);
        http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new PinnedResolver(egress))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(limit).setSocketTimeout(limit).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(limit).build())
                .disableRedirectHandling()
                // Retries are the outbox's (with backoff and a log of each attempt), never the client's own.
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent("Steward")
                .build();
        return http;
    }

    /** Resolves through the egress policy: the connection goes to exactly the addresses that passed it. */
    private record PinnedResolver(EgressPolicy egress) implements DnsResolver {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            return egress.resolve(host);
        }

        @Override
        public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
            List<InetSocketAddress> addresses = new ArrayList<>();
            for (InetAddress address : egress.resolve(host)) {
                addresses.add(new InetSocketAddress(address, port));
            }
            return addresses;
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    }

    @Override
    public void send(Channel channel, Notification notification, long deliveryId) throws DeliveryException {
        switch (channel.kind()) {
            case EMAIL -> email(channel, notification, deliveryId);
            case TELEGRAM -> {
                String token = requiredSecret(channel, "botToken");
                String base = channel.setting("apiBase", ChannelKind.TELEGRAM_API).replaceAll("/+$", "");
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("chat_id", channel.setting("chatId", ""));
                // Plain text (no parse_mode): nothing in a host name can format, link or mention.
                body.put("text", notification.subject() + "\n\n" + notification.text());
                body.put("disable_web_page_preview", true);
                post(base + "/bot" + token + "/sendMessage", json(body), deliveryId, Map.of(), token);
            }
            case SLACK -> {
                String url = requiredSecret(channel, "webhookUrl");
                post(url, json(Map.of("text", ChatEscaping.slackMessage(notification.subject(),
                        notification.text()))), deliveryId, Map.of(), url);
            }
            case DISCORD -> {
                String url = requiredSecret(channel, "webhookUrl");
                String content = ChatEscaping.discordMessage(notification.subject(), notification.text(),
                        DISCORD_LIMIT);
                // No @everyone / role pings from text that came from a server (a hostname is the agent's to choose).
                post(url, json(Map.of("content", content, "allowed_mentions", Map.of("parse", List.of()))),
                        deliveryId, Map.of(), url);
            }
            case WEBHOOK -> {
                byte[] body = json(webhookPayload(notification, deliveryId));
                String secret = channel.secrets().get("hmacSecret");
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("X-Steward-Event", notification.kind().wireName());
                if (secret != null && !secret.isEmpty()) {
                    headers.put(SIGNATURE_HEADER, signature(secret, clock.instant().getEpochSecond(), body));
                }
                post(channel.setting("url", ""), body, deliveryId, headers, null);
            }
        }
    }

    /**
     * {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">}: the timestamp is signed with the body, so a
     * receiver that refuses old timestamps cannot be fed a captured request again later.
     */
    public static String signature(String secret, long epochSeconds, byte[] body) {
        byte[] prefix = (epochSeconds + ".").getBytes(StandardCharsets.US_ASCII);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return "t=" + epochSeconds + ",v1=" + hmacSha256Hex(secret, signed);
    }

    private static String requiredSecret(Channel channel, String name) throws DeliveryException {
        String value = channel.secrets().get(name);
        if (value == null || value.isEmpty()) {
            List<String> destinations = channel.kind().destinationSettings();
            throw new DeliveryException("secrets." + name + " is not set" + (destinations.isEmpty() ? ""
                    : " (stored secrets are cleared when settings." + String.join(" or settings.", destinations)
                            + " changes)") + ": enter it again in the channel's settings");
        }
        return value;
    }

    /** The generic webhook's JSON: flat, documented in the README, stable for receivers. */
    static Map<String, Object> webhookPayload(Notification notification, long deliveryId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deliveryId", deliveryId);
        body.put("kind", notification.kind().wireName());
        body.put("severity", notification.severity().name().toLowerCase(Locale.ROOT));
        body.put("serverId", notification.serverId());
        body.put("serverName", notification.serverName());
        body.put("rule", notification.ruleName());
        body.put("condition", notification.condition());
        body.put("series", notification.series());
        body.put("value", notification.value() == null || notification.value().isNaN() ? null : notification.value());
        body.put("since", notification.since() == null ? null : notification.since().toString());
        body.put("at", notification.at().toString());
        body.put("reason", notification.reason());
        body.put("link", notification.link());
        body.put("subject", notification.subject());
        body.put("text", notification.text());
        return body;
    }

    /** Hex HMAC-SHA256 of the exact bytes, as receivers recompute it. */
    public static String hmacSha256Hex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private void post(String url, byte[] body, long deliveryId, Map<String, String> headers, String hide)
            throws DeliveryException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new DeliveryException("invalid URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new DeliveryException("invalid URL: not http(s)");
        }
        try {
            // Also done by the pinned resolver on connect; here first, so an address literal (which the client
            // need not resolve) is checked too.
            egress.resolve(uri.getHost());
        } catch (EgressPolicy.Refused e) {
            throw new DeliveryException(scrub(e.getMessage(), hide));
        } catch (UnknownHostException e) {
            throw new DeliveryException("cannot reach " + hostOf(url) + ": unknown host");
        }
        HttpPost request = new HttpPost(uri);
        request.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        request.setHeader(DELIVERY_HEADER, Long.toString(deliveryId));
        headers.forEach(request::setHeader);
        // The timeouts bound the connect and each read; this bounds the whole exchange, body included, so a
        // receiver trickling its answer cannot hold a send thread.
        CloseableHttpClient client = http();
        CompletableFuture.delayedExecutor(timeout.toMillis() * 2, TimeUnit.MILLISECONDS).execute(request::cancel);
        int status;
        String answer;
        try {
            var outcome = client.execute(request, response -> {
                String text;
                try {
                    text = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), MAX_ANSWER);
                } catch (ParseException e) {
                    text = "";
                }
                return Map.entry(response.getCode(), text);
            });
            status = outcome.getKey();
            answer = outcome.getValue();
        } catch (IOException e) {
            EgressPolicy.Refused refused = refusal(e);
            if (refused != null) {
                throw new DeliveryException(scrub(refused.getMessage(), hide));
            }
            if (request.isCancelled()) {
                throw new DeliveryException(hostOf(url) + " did not answer within " + timeout.toSeconds() * 2 + " s");
            }
            throw new DeliveryException(scrub("cannot reach " + hostOf(url) + ": " + describe(e), hide));
        }
        if (status / 100 != 2) {
            answer = answer == null ? "" : answer.strip();
            if (answer.length() > 200) {
                answer = answer.substring(0, 200) + "…";
            }
            throw new DeliveryException(scrub(hostOf(url) + " answered HTTP " + status
                    + (answer.isEmpty() ? "" : ": " + answer), hide));
        }
    }

    private static EgressPolicy.Refused refusal(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof EgressPolicy.Refused refused) {
                return refused;
            }
        }
        return null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (http != null) {
            http.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
        }
    }

    private void email(Channel channel, Notification notification, long deliveryId) throws DeliveryException {
        List<String> to = new ArrayList<>();
        if (channel.settings().get("to") instanceof List<?> list) {
            list.forEach(address -> to.add(String.valueOf(address)));
        }
        email(channel, to, notification.subject(), notification.text(), Long.toString(deliveryId));
    }

    /**
     * Sends a plain-text email through an email channel's SMTP server and sender, to other recipients than the
     * channel's own (a password reset link goes to its user only).
     */
    public void email(Channel channel, List<String> recipients, String subject, String text)
            throws DeliveryException {
        email(channel, recipients, subject, text, null);
    }

    private void email(Channel channel, List<String> recipients, String subject, String text,
            @Nullable String deliveryId)
            throws DeliveryException {
        Properties props = new Properties();
        String security = channel.setting("security", "starttls");
        String host = channel.setting("host", "");
        props.put("mail.smtp.host", host);
        props.put("mail.smtp.port", channel.setting("port", "25"));
        String millis = Long.toString(timeout.toMillis());
        props.put("mail.smtp.connectiontimeout", millis);
        props.put("mail.smtp.timeout", millis);
        props.put("mail.smtp.writetimeout", millis);
        if ("starttls".equals(security)) {
            // Required, not just enabled: a server that does not offer STARTTLS must not get the password in clear.
            props.put("mail.smtp.starttls.enable", "true");
            props.put("mail.smtp.starttls.required", "true");
        } else if ("tls".equals(security)) {
            props.put("mail.smtp.ssl.enable", "true");
        }
        props.put("mail.smtp.ssl.checkserveridentity", "true");
        String pem = channel.setting("tlsCertificate", "");
        if (!pem.isBlank() && !"none".equals(security)) {
            // A private CA or self-signed server: trust exactly this certificate (names are still checked).
            try {
                props.put("mail.smtp.ssl.socketFactory", trusting(pem));
            } catch (GeneralSecurityException e) {
                throw new DeliveryException("the channel's TLS certificate cannot be used: " + e.getMessage());
            }
        }
        props.put("mail.smtp.localhost", heloName);
        String username = channel.setting("username", "");
        String password = channel.secrets().getOrDefault("password", "");
        Authenticator authenticator = null;
        if (!username.isEmpty()) {
            // Checked again here, not only at save time: a channel saved by an older version may have it.
            if ("none".equals(security) && !Boolean.TRUE.equals(channel.settings().get("allowPlainAuth"))) {
                throw new DeliveryException("refused to send the SMTP password over an unencrypted connection"
                        + " (security none): use starttls or tls, or set settings.allowPlainAuth to true");
            }
            password = requiredSecret(channel, "password");
            String login = password;
            props.put("mail.smtp.auth", "true");
            authenticator = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(username, login);
                }
            };
        }
        try {
            // Checked at send time too (DNS may answer differently now); the connection that follows a moment later
            // reads the same answer from the JVM's address cache.
            egress.resolve(host);
        } catch (EgressPolicy.Refused e) {
            throw new DeliveryException(e.getMessage());
        } catch (UnknownHostException e) {
            throw new DeliveryException("SMTP " + host + ": unknown host");
        }
        try {
            MimeMessage message = new MimeMessage(Session.getInstance(props, authenticator));
            message.setFrom(new InternetAddress(channel.setting("from", ""), true));
            List<InternetAddress> to = new ArrayList<>();
            for (String address : recipients) {
                to.add(new InternetAddress(address, true));
            }
            message.setRecipients(Message.RecipientType.TO, to.toArray(InternetAddress[]::new));
            message.setSubject(subject, "UTF-8");
            message.setText(text, "UTF-8");
            if (deliveryId != null) {
                message.setHeader(DELIVERY_HEADER, deliveryId);
            }
            Transport.send(message);
        } catch (MessagingException e) {
            throw new DeliveryException(scrub("SMTP " + host + ": " + describe(e), password));
        }
    }

    /** An SSL socket factory that trusts exactly the given PEM certificate (a CA or the server's own). */
    static javax.net.ssl.SSLSocketFactory trusting(String pem) throws GeneralSecurityException {
        java.security.cert.Certificate certificate;
        try (var in = new java.io.ByteArrayInputStream(pem.strip().getBytes(StandardCharsets.US_ASCII))) {
            certificate = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
        store.setCertificateEntry("channel", certificate);
        javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    private static String localHostName() {
        try {
            String name = java.net.InetAddress.getLocalHost().getCanonicalHostName();
            return name == null || name.isBlank() ? "localhost" : name;
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    private static byte[] json(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode notification", e);
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replaceAll("\\s+", " ").strip();
    }

    private static String hostOf(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        } catch (IllegalArgumentException e) {
            return "the receiver";
        }
    }

    /** Takes a secret out of an error text (a Telegram token is part of its URL). */
    private static String scrub(String text, String secret) {
        String scrubbed = secret == null || secret.isEmpty() ? text : text.replace(secret, "***");
        return scrubbed.length() > 1000 ? scrubbed.substring(0, 1000) : scrubbed;
    }
}
