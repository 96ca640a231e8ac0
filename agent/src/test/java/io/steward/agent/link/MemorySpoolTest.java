package io.steward.agent.link;

class MemorySpoolTest extends SpoolContract {
    @Override
    protected Spool open(SpoolBounds bounds) {
        return new MemorySpool(bounds, clock);
    }
}
