package io.steward.node.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.steward.core.alerting.Severity;
import io.steward.node.testing.RecordingHttpServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The HTTP senders against a real local receiver: connections go only to the addresses the egress policy checked
 * (a name only the policy's resolver knows still arrives; a rebinding answer never does), webhook signatures carry
 * a timestamp, and chat messages cannot mention or link from a host name.
 */
class ChannelSendersSecurityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DEFAULT_DENY =
            ConfigFactory.load().getStringList("steward.notify.egress.deny");
    private static final String HOSTILE = "<!channel> @everyone <@123> <http://evil.example|bank> [bank](http://evil)";

    private static Channel channel(ChannelKind kind, Map<String, Object> settings, Map<String, String> secrets) {
        return new Channel("c1", "Channel", kind, true, EnumSet.allOf(Severity.class), List.of(), List.of(), null,
                settings, secrets, Instant.now(), Instant.now(), null);
    }

    private static Notification firing(String serverName) {
        Instant at = Instant.parse("2026-12-01T10:00:00Z");
        return new Notification(Notification.Kind.FIRING, Severity.CRITICAL, "srv-1", serverName, "CPU hot",
                "cpu.percent > 50", "service.active{unit=" + HOSTILE + "}", 75.0, at, at, null, null);
    }

    @Test
    void theConnectionGoesToTheAddressThePolicyCheckedAndARebindingAnswerIsRefused() throws Exception {
        AtomicReference<String> answer = new AtomicReference<>("127.0.0.1");
        EgressPolicy.Resolver resolver = host -> {
            if (!host.equals("receiver.steward.test")) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(answer.get())};
        };
        try (RecordingHttpServer receiver = new RecordingHttpServer();
                ChannelSenders senders = new ChannelSenders(Duration.ofSeconds(5),
                        new EgressPolicy(DEFAULT_DENY, List.of(), resolver), Clock.systemUTC())) {
            Channel hook = channel(ChannelKind.WEBHOOK,
                    Map.of("url", "http://receiver.steward.test:" + receiver.port() + "/hook"), Map.of());
            // The system resolver does not know this name: only the policy's answer can have been used.
            senders.send(hook, firing("web-1"), 1);
            assertThat(receiver.requests("/hook")).hasSize(1);

            answer.set("169.254.169.254");
            assertThatThrownBy(() -> senders.send(hook, firing("web-1"), 2))
                    .isInstanceOf(Sender.DeliveryException.class)
                    .hasMessageContaining("resolves to 169.254.169.254");
            Channel literal = channel(ChannelKind.WEBHOOK, Map.of("url", "http://169.254.169.254/latest/meta-data/"),
                    Map.of());
            assertThatThrownBy(() -> senders.send(literal, firing("web-1"), 3))
                    .isInstanceOf(Sender.DeliveryException.class).hasMessageContaining("169.254.169.254");
            assertThat(receiver.all()).hasSize(1);
        }
    }

    @Test
    void webhookSignaturesSignTheTimestampWithTheBody() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
        try (RecordingHttpServer receiver = new RecordingHttpServer();
                ChannelSenders senders = new ChannelSenders(Duration.ofSeconds(5),
                        EgressPolicy.fromConfig(ConfigFactory.load()), clock)) {
            String secret = "0123456789abcdef-signing";
            senders.send(channel(ChannelKind.WEBHOOK, Map.of("url", receiver.url("/hook")),
                    Map.of("hmacSecret", secret)), firing("web-1"), 7);
            RecordingHttpServer.Request request = receiver.requests("/hook").get(0);
            String header = request.header(ChannelSenders.SIGNATURE_HEADER);
            long t = clock.instant().getEpochSecond();
            assertThat(header).startsWith("t=" + t + ",v1=");
            // What a receiver does: HMAC-SHA256 over "<t>.<raw body>", compared with v1.
            byte[] signed = (t + "." + request.text()).getBytes(StandardCharsets.UTF_8);
            assertThat(header).isEqualTo("t=" + t + ",v1=" + ChannelSenders.hmacSha256Hex(secret, signed));
            // The bare body's HMAC (the old scheme) is not accepted as the signature.
            assertThat(header).doesNotContain(ChannelSenders.hmacSha256Hex(secret, request.body()));
        }
    }

    @Test
    void slackAndDiscordMessagesCannotMentionOrLinkFromAHostOrServiceName() throws Exception {
        try (RecordingHttpServer receiver = new RecordingHttpServer();
                ChannelSenders senders = new ChannelSenders(Duration.ofSeconds(5),
                        EgressPolicy.fromConfig(ConfigFactory.load()), Clock.systemUTC())) {
            senders.send(channel(ChannelKind.SLACK, Map.of(), Map.of("webhookUrl", receiver.url("/slack"))),
                    firing(HOSTILE), 1);
            senders.send(channel(ChannelKind.DISCORD, Map.of(), Map.of("webhookUrl", receiver.url("/discord"))),
                    firing(HOSTILE), 2);

            String slack = JSON.readTree(receiver.requests("/slack").get(0).body()).get("text").asText();
            assertThat(slack).doesNotContain("<!channel>", "<@123>", "<http://", "|bank>")
                    .contains("&lt;!channel&gt;", "&lt;@123&gt;", "&lt;http://evil.example|bank&gt;");

            JsonNode discord = JSON.readTree(receiver.requests("/discord").get(0).body());
            String content = discord.get("content").asText();
            assertThat(content).doesNotContain("@everyone", "<@123>").contains("@\u200Beveryone");
            // The subject is markdown: escaped; the rest is a code block, where Discord renders no links.
            String subject = content.substring(0, content.indexOf("\n```"));
            assertThat(subject).doesNotContain("[bank](http://evil)")
                    .contains("\\[bank\\]\\(http\\://evil\\)", "\\<@\u200B123\\>");
            assertThat(content.substring(subject.length() + 4)).doesNotContain("```\n");
            assertThat(discord.get("allowed_mentions").get("parse")).isEmpty();
        }
    }

    @Test
    void aMissingSecretFailsTheSendInsteadOfSendingWithout() throws Exception {
        try (RecordingHttpServer receiver = new RecordingHttpServer();
                ChannelSenders senders = new ChannelSenders(Duration.ofSeconds(5),
                        EgressPolicy.fromConfig(ConfigFactory.load()), Clock.systemUTC())) {
            Channel telegram = channel(ChannelKind.TELEGRAM,
                    Map.of("chatId", "42", "apiBase", receiver.url("/tg")), Map.of());
            assertThatThrownBy(() -> senders.send(telegram, firing("web-1"), 1))
                    .isInstanceOf(Sender.DeliveryException.class)
                    .hasMessageContaining("secrets.botToken is not set");
            assertThat(receiver.all()).isEmpty();
        }
    }

    @Test
    void aDeliveryAfterTheSendersClosedIsRefusedNotSent() throws Exception {
        EgressPolicy.Resolver resolver = host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        try (RecordingHttpServer receiver = new RecordingHttpServer()) {
            ChannelSenders senders = new ChannelSenders(Duration.ofSeconds(5),
                    new EgressPolicy(DEFAULT_DENY, List.of(), resolver), Clock.systemUTC());
            Channel hook = channel(ChannelKind.WEBHOOK,
                    Map.of("url", "http://receiver.steward.test:" + receiver.port() + "/hook"), Map.of());
            senders.send(hook, firing("web-1"), 1);
            senders.close();
            senders.close();

            assertThatThrownBy(() -> senders.send(hook, firing("web-1"), 2))
                    .isInstanceOf(Sender.DeliveryException.class).hasMessage("the node is stopping");
            assertThat(receiver.requests("/hook")).hasSize(1);
        }
    }
}
