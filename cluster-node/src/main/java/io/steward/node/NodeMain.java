package io.steward.node; public final class NodeMain { public static void main(String[] a) {} }
