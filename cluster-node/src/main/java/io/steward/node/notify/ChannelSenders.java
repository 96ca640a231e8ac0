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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The real senders: SMTP through Jakarta Mail, and JSON over HTTPS for Telegram, Slack, Discord and generic
 * webhooks. Every network call has a timeout, so a dead receiver costs one pool thread for seconds, not forever.
 */
public final class ChannelSenders implements Sender {
    public static final String SIGNATURE_HEADER = "X-Steward-Signature";
    public static final String DELIVERY_HEADER = "X-Steward-Delivery";
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int DISCORD_LIMIT = 2000;

    private final HttpClient http;
    private final Duration timeout;
    private final String heloName;

    public ChannelSenders(Duration timeout) {
        this.timeout = timeout;
        // Jakarta Mail would look the local name up for every EHLO; once is enough (measured ~100 ms per email here).
        this.heloName = localHostName();
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                // Plain HTTP/1.1: no h2c upgrade dance with webhook receivers that do not expect it.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public void send(Channel channel, Notification notification, long deliveryId) throws DeliveryException {
        switch (channel.kind()) {
            case EMAIL -> email(channel, notification, deliveryId);
            case TELEGRAM -> {
                String token = channel.secrets().getOrDefault("botToken", "");
                String base = channel.setting("apiBase", "https://api.telegram.org").replaceAll("/+$", "");
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("chat_id", channel.setting("chatId", ""));
                body.put("text", notification.subject() + "\n\n" + notification.text());
                body.put("disable_web_page_preview", true);
                post(base + "/bot" + token + "/sendMessage", json(body), deliveryId, Map.of(), token);
            }
            case SLACK -> post(channel.secrets().getOrDefault("webhookUrl", ""), json(Map.of("text",
                    "*" + notification.subject() + "*\n```" + notification.text() + "```")), deliveryId, Map.of(),
                    channel.secrets().get("webhookUrl"));
            case DISCORD -> {
                String content = "**" + notification.subject() + "**\n```" + notification.text() + "```";
                if (content.length() > DISCORD_LIMIT) {
                    content = content.substring(0, DISCORD_LIMIT - 4) + "…```";
                }
                // No @everyone / role pings from text that came from a server (a hostname is the agent's to choose).
                post(channel.secrets().getOrDefault("webhookUrl", ""), json(Map.of("content", content,
                        "allowed_mentions", Map.of("parse", List.of()))), deliveryId, Map.of(),
                        channel.secrets().get("webhookUrl"));
            }
            case WEBHOOK -> {
                byte[] body = json(webhookPayload(notification, deliveryId));
                String secret = channel.secrets().get("hmacSecret");
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("X-Steward-Event", notification.kind().wireName());
                if (secret != null && !secret.isEmpty()) {
                    headers.put(SIGNATURE_HEADER, "sha256=" + hmacSha256Hex(secret, body));
                }
                post(channel.setting("url", ""), body, deliveryId, headers, null);
            }
        }
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

    /** Hex HMAC-SHA256 of the exact body bytes, as receivers recompute it. */
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
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(url));
        } catch (IllegalArgumentException e) {
            throw new DeliveryException("invalid URL");
        }
        request.timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Steward")
                .header(DELIVERY_HEADER, Long.toString(deliveryId))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<String> response;
        // The request timeout covers the wait for headers; this bounds the whole exchange, body included, so a
        // receiver trickling its answer cannot hold a send thread.
        var exchange = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
        try {
            response = exchange.get(timeout.toMillis() * 2, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new DeliveryException(scrub("cannot reach " + hostOf(url) + ": " + describe(e), hide));
        } catch (java.util.concurrent.TimeoutException e) {
            exchange.cancel(true);
            throw new DeliveryException(hostOf(url) + " did not answer within " + timeout.toSeconds() * 2 + " s");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted");
        }
        if (response.statusCode() / 100 != 2) {
            String answer = response.body() == null ? "" : response.body().strip();
            if (answer.length() > 200) {
                answer = answer.substring(0, 200) + "…";
            }
            throw new DeliveryException(scrub(hostOf(url) + " answered HTTP " + response.statusCode()
                    + (answer.isEmpty() ? "" : ": " + answer), hide));
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
            props.put("mail.smtp.auth", "true");
            authenticator = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(username, password);
                }
            };
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
