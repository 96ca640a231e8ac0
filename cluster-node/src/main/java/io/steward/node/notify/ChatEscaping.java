package io.steward.node.notify;

/**
 * Slack and Discord messages with every piece of text escaped for the chat's markup. Host names, service names and
 * rule names reach a message from agents and users: unescaped, a host called {@code <!channel>} or {@code @everyone}
 * would ping a whole channel, and {@code <http://evil|bank>} or {@code [bank](http://evil)} would show a link whose
 * text lies about its target.
 */
final class ChatEscaping {
    /** Breaks {@code @everyone}, {@code @here} and user mentions without changing how the text reads. */
    private static final String ZERO_WIDTH_SPACE = "\u200B";

    private ChatEscaping() {}

    /** Slack's {@code *subject*} then the text in a code block. */
    static String slackMessage(String subject, String text) {
        return "*" + slack(subject) + "*\n```" + slack(codeBlock(text)) + "```";
    }

    /** Discord's {@code **subject**} then the text in a code block, cut to the message limit. */
    static String discordMessage(String subject, String text, int limit) {
        String content = "**" + discord(subject) + "**\n```" + codeBlock(discordMentions(text)) + "```";
        return content.length() > limit ? content.substring(0, limit - 4) + "…```" : content;
    }

    /**
     * Slack's three control characters as entities ({@code &amp; &lt; &gt;}, as Slack documents): no {@code <...>}
     * sequence (mention, channel ping, link) can form; {@code @here} alone is only text in a webhook message.
     */
    static String slack(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * Discord markdown escaped with backslashes (no bold, masked links or mention syntax; an escaped {@code :} keeps
     * {@code http://} from turning into a link) and mentions broken.
     */
    static String discord(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : discordMentions(text).toCharArray()) {
            if ("\\*_~`|[]()<>#:".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String discordMentions(String text) {
        return text.replace("@", "@" + ZERO_WIDTH_SPACE);
    }

    /** Backticks would close the code block early and let the rest be read as markup. */
    private static String codeBlock(String text) {
        return text.replace('`', '\'');
    }
}
