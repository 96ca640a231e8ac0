package io.steward.node.notify;

import com.fasterxml.jackson.annotation.JsonValue;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The kinds of notification channel, each with the settings and secrets it takes. Validation happens here, once,
 * so the API refuses a channel that could never deliver (a missing chat id, a URL that is not http(s)).
 */
public enum ChannelKind {
    EMAIL(Set.of("host", "port", "security", "username", "from", "to", "tlsCertificate", "allowPlainAuth"),
            Set.of("password"), List.of("host", "port", "security", "tlsCertificate")),
    TELEGRAM(Set.of("chatId", "apiBase"), Set.of("botToken"), List.of("apiBase")),
    // The webhook URL is itself the secret (and the destination): nothing else to protect.
    SLACK(Set.of(), Set.of("webhookUrl"), List.of()),
    DISCORD(Set.of(), Set.of("webhookUrl"), List.of()),
    WEBHOOK(Set.of("url"), Set.of("hmacSecret"), List.of("url"));

    private static final Pattern ADDRESS = Pattern.compile("[^@\\s]+@[^@\\s]+");
    static final int MAX_RECIPIENTS = 50;
    /** Shortest webhook signing secret accepted: a short one could be guessed offline from one signed request. */
    public static final int MIN_HMAC_SECRET = 16;
    public static final String TELEGRAM_API = "https://api.telegram.org";

    private final Set<String> settingNames;
    private final Set<String> secretNames;
    private final List<String> destinationSettings;

    ChannelKind(Set<String> settingNames, Set<String> secretNames, List<String> destinationSettings) {
        this.settingNames = settingNames;
        this.secretNames = secretNames;
        this.destinationSettings = destinationSettings;
    }

    /**
     * The settings that decide where (and over what) the stored secrets travel: changing one drops the stored
     * secrets unless they are entered again, so whoever changes them cannot redirect a token to a host they choose.
     */
    public List<String> destinationSettings() {
        return destinationSettings;
    }

    /** The destination settings whose effective value differs between the stored and the new settings. */
    public List<String> changedDestinations(Map<String, Object> stored, Map<String, Object> updated) {
        return destinationSettings.stream()
                .filter(name -> !effective(name, stored).equals(effective(name, updated)))
                .toList();
    }

    private static String effective(String name, Map<String, Object> settings) {
        Object value = settings.get(name);
        return switch (name) {
            case "apiBase" -> (value == null ? TELEGRAM_API : String.valueOf(value)).replaceAll("/+$", "");
            case "security" -> value == null ? "starttls" : String.valueOf(value);
            default -> value == null ? "" : String.valueOf(value).strip();
        };
    }

    /** Where deliveries connect, by the field that sets it: an SMTP host or a URL (checked by the egress policy). */
    public Map<String, String> destinations(Map<String, Object> settings, Map<String, String> secrets) {
        return switch (this) {
            case EMAIL -> Map.of("settings.host", effective("host", settings));
            case TELEGRAM -> Map.of("settings.apiBase", effective("apiBase", settings));
            case SLACK, DISCORD -> Map.of("secrets.webhookUrl", secrets.getOrDefault("webhookUrl", ""));
            case WEBHOOK -> Map.of("settings.url", effective("url", settings));
        };
    }

    public Set<String> settingNames() {
        return settingNames;
    }

    public Set<String> secretNames() {
        return secretNames;
    }

    /** As the API writes it: {@code "email"}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ChannelKind parse(String text) {
        for (ChannelKind kind : values()) {
            if (kind.wireName().equals(text)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("type must be one of email, telegram, slack, discord, webhook");
    }

    /** Throws {@link IllegalArgumentException} naming the first problem; secrets are the merged, stored values. */
    public void validate(Map<String, Object> settings, Map<String, String> secrets) {
        validate(settings, secrets, true);
    }

    /**
     * @param requireSecrets false when this save just dropped the stored secrets because the destination changed:
     *     the channel is kept, and cannot deliver until they are entered again
     */
    public void validate(Map<String, Object> settings, Map<String, String> secrets, boolean requireSecrets) {
        for (Map.Entry<String, Object> setting : settings.entrySet()) {
            String name = setting.getKey();
            if (!settingNames.contains(name)) {
                throw new IllegalArgumentException("settings." + name + " is not a setting of a " + wireName()
                        + " channel (it takes " + (settingNames.isEmpty() ? "none" : String.join(", ",
                        settingNames.stream().sorted().toList())) + ")");
            }
            Object value = setting.getValue();
            boolean fits = name.equals("to") ? value instanceof List<?>
                    : name.equals("port") ? value instanceof Integer
                    : name.equals("allowPlainAuth") ? value instanceof Boolean
                    : name.equals("tlsCertificate") ? value instanceof String pem && pem.length() <= 3000
                    : value instanceof String text && text.length() <= 500;
            if (!fits) {
                throw new IllegalArgumentException("settings." + name + " must be " + (name.equals("to")
                        ? "a list of email addresses" : name.equals("port") ? "a whole number"
                        : name.equals("allowPlainAuth") ? "true or false"
                        : name.equals("tlsCertificate") ? "one PEM certificate of at most 3000 characters"
                        : "text of at most 500 characters"));
            }
        }
        for (String name : secrets.keySet()) {
            if (!secretNames.contains(name)) {
                throw new IllegalArgumentException("secrets." + name + " is not a secret of a " + wireName()
                        + " channel");
            }
        }
        switch (this) {
            case EMAIL -> {
                requireText(settings, "host");
                Object port = settings.get("port");
                if (!(port instanceof Integer number) || number < 1 || number > 65535) {
                    throw new IllegalArgumentException("settings.port must be a port number (1..65535)");
                }
                Object security = settings.getOrDefault("security", "starttls");
                if (!List.of("none", "starttls", "tls").contains(security)) {
                    throw new IllegalArgumentException("settings.security must be none, starttls or tls");
                }
                if ("none".equals(security) && settings.get("username") instanceof String user && !user.isBlank()
                        && !Boolean.TRUE.equals(settings.get("allowPlainAuth"))) {
                    throw new IllegalArgumentException("settings.username: SMTP authentication over an unencrypted"
                            + " connection (security none) sends the password in clear; use starttls or tls, or"
                            + " set settings.allowPlainAuth to true if this network is trusted");
                }
                checkAddress("settings.from", requireText(settings, "from"));
                if (settings.get("tlsCertificate") instanceof String pem) {
                    try {
                        ChannelSenders.trusting(pem);
                    } catch (java.security.GeneralSecurityException e) {
                        throw new IllegalArgumentException("settings.tlsCertificate is not a PEM certificate: "
                                + e.getMessage());
                    }
                }
                Object to = settings.get("to");
                if (!(to instanceof List<?> list) || list.isEmpty() || list.size() > MAX_RECIPIENTS) {
                    throw new IllegalArgumentException("settings.to must list 1 to " + MAX_RECIPIENTS
                            + " email addresses");
                }
                for (Object address : list) {
                    checkAddress("settings.to", String.valueOf(address));
                }
            }
            case TELEGRAM -> {
                requireText(settings, "chatId");
                if (settings.containsKey("apiBase")) {
                    checkHttpUrl("settings.apiBase", String.valueOf(settings.get("apiBase")));
                }
                if (requireSecrets) {
                    requireSecret(secrets, "botToken");
                }
            }
            case SLACK, DISCORD -> checkHttpUrl("secrets.webhookUrl", requireSecret(secrets, "webhookUrl"));
            case WEBHOOK -> {
                checkHttpUrl("settings.url", requireText(settings, "url"));
                String secret = secrets.get("hmacSecret");
                if (secret != null && secret.length() < MIN_HMAC_SECRET) {
                    throw new IllegalArgumentException("secrets.hmacSecret must be at least " + MIN_HMAC_SECRET
                            + " characters (a short signing secret can be guessed from one signed request)");
                }
            }
        }
    }

    private static String requireText(Map<String, Object> settings, String name) {
        Object value = settings.get(name);
        if (!(value instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException("settings." + name + " is required");
        }
        if (text.length() > 500) {
            throw new IllegalArgumentException("settings." + name + " is longer than 500 characters");
        }
        return text;
    }

    private static String requireSecret(Map<String, String> secrets, String name) {
        String value = secrets.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("secrets." + name + " is required");
        }
        return value;
    }

    private static void checkAddress(String field, String address) {
        if (!ADDRESS.matcher(address).matches() || address.length() > 254) {
            throw new IllegalArgumentException(field + ": \"" + address + "\" is not an email address");
        }
    }

    static void checkHttpUrl(String field, String text) {
        try {
            URI uri = new URI(text);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException(field + " must be an http:// or https:// URL");
            }
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(field + " is not a valid URL: " + e.getReason());
        }
    }
}
