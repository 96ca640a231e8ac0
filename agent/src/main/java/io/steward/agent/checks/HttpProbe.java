package io.steward.agent.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.core.checks.CertificateInfo;
import io.steward.core.checks.CheckDefinition;
import io.steward.core.checks.CheckResult;
import io.steward.core.checks.FailureReason;
import io.steward.core.checks.HttpMethod;
import io.steward.core.checks.JsonCondition;
import io.steward.core.checks.ProbeOutcome;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One HTTP(S) attempt, written and read on a plain socket so each phase is measured on its own: DNS (the resolver
 * call), connect (the TCP handshake), TLS (the TLS handshake), first byte (request sent to the first byte of the
 * answer). Redirects are followed hop by hop within the same deadline, each hop's certificate recorded.
 */
final class HttpProbe {
    static final int MAX_REDIRECTS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connector connector;
    private final TlsInspector tls;
    private final int maxBodyBytes;
    private final String userAgent;

    HttpProbe(Connector connector, TlsInspector tls, int maxBodyBytes, String userAgent) {
        this.connector = connector;
        this.tls = tls;
        this.maxBodyBytes = maxBodyBytes;
        this.userAgent = userAgent;
    }

    CheckResult run(String checkId, CheckDefinition.Http check) {
        Instant startedAt = Instant.now();
        Phases phases = new Phases();
        Deadline deadline = new Deadline(check.timeout());
        List<CertificateInfo> certificates = new ArrayList<>();
        String[] address = {null};
        HttpResponse response = null;
        try {
            URI uri = check.uri();
            HttpMethod method = check.method();
            Set<String> visited = new HashSet<>();
            for (int hop = 0; ; hop++) {
                visited.add(uri.toString());
                response = exchange(uri, method, check, deadline, phases, certificates, address);
                String location = response.header("location");
                if (!check.followRedirects() || !isRedirect(response.status()) || location == null) {
                    break;
                }
                if (hop == MAX_REDIRECTS) {
                    throw new ProbeFailure(FailureReason.PROTOCOL, "more than " + MAX_REDIRECTS + " redirects");
                }
                uri = next(uri, location);
                if (visited.contains(uri.toString())) {
                    throw new ProbeFailure(FailureReason.PROTOCOL, "redirect loop at " + uri);
                }
                if (response.status() == 303 || ((response.status() == 301 || response.status() == 302)
                        && method == HttpMethod.POST)) {
                    method = HttpMethod.GET; // as browsers do
                }
            }
            verify(check, response);
            return new CheckResult(checkId, startedAt, ProbeOutcome.UP, null, null, phases.timings(),
                    response.status(), address[0], null, certificates, null);
        } catch (ProbeFailure failure) {
            String excerpt = response == null ? null : CheckResult.excerpt(response.body(), response.bodyLength());
            return new CheckResult(checkId, startedAt, ProbeOutcome.DOWN, failure.reason(), failure.getMessage(),
                    phases.timings(), response == null ? null : response.status(), address[0],
                    excerpt == null || excerpt.isEmpty() ? null : excerpt, certificates, null);
        }
    }

    private HttpResponse exchange(URI uri, HttpMethod method, CheckDefinition.Http check, Deadline deadline,
            Phases phases, List<CertificateInfo> certificates, String[] addressSeen) throws ProbeFailure {
        boolean https = uri.getScheme().equalsIgnoreCase("https");
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        List<InetAddress> addresses = connector.resolve(host, deadline, phases);
        InetAddress address = addresses.get(0);
        addressSeen[0] = address.getHostAddress();
        Socket socket = connector.connect(address, port, deadline, phases);
        try {
            if (https) {
                TlsInspector.Handshake handshake = tls.handshake(socket, host, port, address, uri.toString(),
                        check.acceptFingerprint(), deadline, phases);
                socket = handshake.socket();
                certificates.add(handshake.certificate());
                if (handshake.certificateFailure() != null) {
                    throw handshake.certificateFailure();
                }
            }
            long sent = send(socket, uri, host, port, https, method, check.headers(), deadline);
            return HttpResponse.read(socket, method == HttpMethod.HEAD, maxBodyBytes, deadline, phases, sent);
        } finally {
            Connector.closeQuietly(socket);
        }
    }

    private long send(Socket socket, URI uri, String host, int port, boolean https, HttpMethod method,
            Map<String, String> headers, Deadline deadline) throws ProbeFailure {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        boolean defaultPort = port == (https ? 443 : 80);
        String hostHeader = (host.contains(":") ? "[" + host + "]" : host) + (defaultPort ? "" : ":" + port);
        StringBuilder request = new StringBuilder(256)
                .append(method.name()).append(' ').append(target).append(" HTTP/1.1\r\n");
        boolean hostSet = false;
        boolean agentSet = false;
        boolean acceptSet = false;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            hostSet |= name.equals("host");
            agentSet |= name.equals("user-agent");
            acceptSet |= name.equals("accept");
        }
        if (!hostSet) {
            request.append("Host: ").append(hostHeader).append("\r\n");
        }
        if (!agentSet) {
            request.append("User-Agent: ").append(userAgent).append("\r\n");
        }
        if (!acceptSet) {
            request.append("Accept: */*\r\n");
        }
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        if (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) {
            request.append("Content-Length: 0\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        try {
            socket.setSoTimeout(deadline.remainingMillis("request sent"));
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return System.nanoTime();
        } catch (IOException e) {
            throw new ProbeFailure(FailureReason.PROTOCOL, "sending the request failed: " + e.getMessage());
        }
    }

    private static void verify(CheckDefinition.Http check, HttpResponse response) throws ProbeFailure {
        if (!check.accepts(response.status())) {
            throw new ProbeFailure(FailureReason.STATUS, "status " + response.status() + ", expected "
                    + (check.expectStatus().isEmpty() ? "2xx" : check.expectStatus().toString()));
        }
        if (check.keyword() != null && !response.bodyText().contains(check.keyword())) {
            throw new ProbeFailure(FailureReason.KEYWORD, "the keyword '" + check.keyword() + "' is not in the "
                    + (response.truncated() ? "first " + response.bodyLength() + " bytes of the " : "") + "body");
        }
        JsonCondition condition = check.jsonCondition();
        if (condition != null) {
            JsonNode document;
            try {
                document = JSON.readTree(response.body(), 0, response.bodyLength());
            } catch (IOException e) {
                throw new ProbeFailure(FailureReason.JSON_CONDITION, "the body is not JSON: "
                        + e.getMessage());
            }
            JsonCondition.Verdict verdict = condition.test(document == null ? JSON.missingNode() : document);
            if (!verdict.holds()) {
                throw new ProbeFailure(FailureReason.JSON_CONDITION, condition.path() + " is '" + verdict.actual()
                        + "', expected '" + condition.equals() + "'");
            }
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static URI next(URI current, String location) throws ProbeFailure {
        try {
            URI next = current.resolve(location.strip());
            String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || next.getHost() == null) {
                throw new ProbeFailure(FailureReason.PROTOCOL, "redirect to an unusable location: " + location);
            }
            return next;
        } catch (IllegalArgumentException e) {
            throw new ProbeFailure(FailureReason.PROTOCOL, "redirect to a malformed location: " + location);
        }
    }
}
