package io.steward.agent.link;

import java.net.URI;

/** What a link tells about its traffic; written on the link's executor only, read from any thread. */
final class LinkStatus {
    private volatile long lastSentSequence;
    private volatile long lastAckedSequence;
    private volatile long reportsSent;
    private volatile long reportsAcked;
    private volatile String lastError;
    private volatile URI hub;

    void connecting(URI next) {
        hub = next;
    }

    void sent(long sequence) {
        reportsSent++;
        if (sequence > lastSentSequence) {
            lastSentSequence = sequence;
        }
    }

    void acknowledged(long sequence) {
        reportsAcked++;
        if (sequence > lastAckedSequence) {
            lastAckedSequence = sequence;
        }
    }

    void failed(String reason) {
        lastError = reason;
    }

    long lastSentSequence() {
        return lastSentSequence;
    }

    long lastAckedSequence() {
        return lastAckedSequence;
    }

    long reportsSent() {
        return reportsSent;
    }

    long reportsAcked() {
        return reportsAcked;
    }

    /** The hub connected to, being connected to or to be tried next (null before the first attempt). */
    URI hub() {
        return hub;
    }

    String lastError() {
        return lastError;
    }
}
