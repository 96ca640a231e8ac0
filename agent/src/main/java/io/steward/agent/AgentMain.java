package io.steward.agent; public final class AgentMain { public static void main(String[] a) {} }
