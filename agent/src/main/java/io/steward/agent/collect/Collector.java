package io.steward.agent.collect;

/**
 * One metric family's collector: reads the operating system (through OSHI), keeps whatever it needs from one cycle
 * to the next (previous counters, previous ticks), and returns wire values. Called from one thread at a time.
 */
interface Collector<T> {
    T collect();
}
