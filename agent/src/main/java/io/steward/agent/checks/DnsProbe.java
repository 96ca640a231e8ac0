package io.steward.agent.checks;

import io.steward.core.checks.CheckDefinition;
import io.steward.core.checks.CheckResult;
import io.steward.core.checks.DnsRecordType;
import io.steward.core.checks.FailureReason;
import io.steward.core.checks.ProbeOutcome;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * One DNS attempt. A and AAAA ask the system resolver (as every other probe and program on the server does, hosts
 * file included); CNAME, MX, NS and TXT ask the DNS servers of {@code /etc/resolv.conf} through the JDK's JNDI DNS
 * provider ({@code com.sun.jndi.dns}, module {@code jdk.naming.dns}), with the attempt's timeout.
 */
final class DnsProbe {
    private final Connector connector;

    DnsProbe(Connector connector) {
        this.connector = connector;
    }

    CheckResult run(String checkId, CheckDefinition.Dns check) {
        Instant startedAt = Instant.now();
        Phases phases = new Phases();
        Deadline deadline = new Deadline(check.timeout());
        List<String> answers = new ArrayList<>();
        try {
            if (check.recordType() == DnsRecordType.A || check.recordType() == DnsRecordType.AAAA) {
                Class<?> family = check.recordType() == DnsRecordType.A ? Inet4Address.class : Inet6Address.class;
                for (InetAddress address : connector.resolve(check.host(), deadline, phases)) {
                    if (family.isInstance(address)) {
                        answers.add(address.getHostAddress());
                    }
                }
            } else {
                answers.addAll(query(check, deadline, phases));
            }
            if (answers.isEmpty()) {
                throw new ProbeFailure(FailureReason.DNS_ANSWER, "no " + check.recordType() + " record for "
                        + check.host());
            }
            if (check.expect() != null && answers.stream().noneMatch(answer -> same(answer, check.expect()))) {
                throw new ProbeFailure(FailureReason.DNS_ANSWER, "'" + check.expect() + "' is not among the "
                        + check.recordType() + " records " + answers);
            }
            return new CheckResult(checkId, startedAt, ProbeOutcome.UP, null, null, phases.timings(), null, null,
                    null, null, answers);
        } catch (ProbeFailure failure) {
            return new CheckResult(checkId, startedAt, ProbeOutcome.DOWN, failure.reason(), failure.getMessage(),
                    phases.timings(), null, null, null, null, answers);
        }
    }

    private static List<String> query(CheckDefinition.Dns check, Deadline deadline, Phases phases)
            throws ProbeFailure {
        long start = System.nanoTime();
        Hashtable<String, String> environment = new Hashtable<>();
        environment.put(DirContext.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        environment.put(DirContext.PROVIDER_URL, "dns:");
        environment.put("com.sun.jndi.dns.timeout.initial", String.valueOf(deadline.remainingMillis("DNS answer")));
        environment.put("com.sun.jndi.dns.timeout.retries", "1");
        DirContext context = null;
        try {
            context = new InitialDirContext(environment);
            Attributes attributes = context.getAttributes(check.host(), new String[] {check.recordType().name()});
            Attribute records = attributes.get(check.recordType().name());
            List<String> answers = new ArrayList<>();
            if (records != null) {
                NamingEnumeration<?> values = records.getAll();
                while (values.hasMore()) {
                    answers.add(String.valueOf(values.next()));
                }
            }
            return answers;
        } catch (NameNotFoundException e) {
            throw new ProbeFailure(FailureReason.DNS, "no such name: " + check.host());
        } catch (NamingException e) {
            throw new ProbeFailure(FailureReason.DNS, "DNS query for " + check.recordType() + " " + check.host()
                    + " failed: " + e.getExplanation());
        } finally {
            phases.dns(start);
            if (context != null) {
                try {
                    context.close();
                } catch (NamingException ignored) {
                    // Closing releases nothing that matters.
                }
            }
        }
    }

    /** Names compare without case and trailing dot; an MX answer matches by its host ("10 mx.example.com."). */
    static boolean same(String answer, String expected) {
        String a = answer.strip().toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        String e = expected.strip().toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        return a.equals(e) || a.endsWith(" " + e) || a.equals("\"" + e + "\"");
    }
}
