package io.steward.agent.reload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DebounceTest {
    @Test
    void aChangeCountsOnceItHeldStillForOneMoreLook() {
        Debounce<String> debounce = new Debounce<>("v1");
        assertThat(debounce.settledChange("v1")).isFalse();
        assertThat(debounce.settledChange("v2")).as("still being written?").isFalse();
        assertThat(debounce.settledChange("v3")).as("it was").isFalse();
        assertThat(debounce.settledChange("v3")).isTrue();
        assertThat(debounce.settledChange("v3")).as("acted on once").isFalse();
    }

    @Test
    void aChangeUndoneBeforeItSettledIsNone() {
        Debounce<String> debounce = new Debounce<>("v1");
        assertThat(debounce.settledChange("v2")).isFalse();
        assertThat(debounce.settledChange("v1")).isFalse();
        assertThat(debounce.settledChange("v1")).isFalse();
    }

    @Test
    void aResetTakesWhatAReloadReadAsTheBaseline() {
        Debounce<String> debounce = new Debounce<>("v1");
        assertThat(debounce.settledChange("v2")).isFalse();
        debounce.reset("v2");
        assertThat(debounce.settledChange("v2")).isFalse();
        assertThat(debounce.settledChange("v2")).isFalse();
    }
}
