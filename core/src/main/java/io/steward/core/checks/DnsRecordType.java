package io.steward.core.checks;

/** The record types a DNS check may ask for. */
public enum DnsRecordType {
    A, AAAA, CNAME, MX, NS, TXT
}
