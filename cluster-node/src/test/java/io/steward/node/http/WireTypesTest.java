package io.steward.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.steward.node.cluster.ClusterSnapshot;
import io.steward.node.cluster.Readiness;
import io.steward.node.live.UiFrame;
import io.steward.node.live.UiRequest;
import io.steward.node.notify.Outbox;
import io.steward.node.server.BackupsBody;
import io.steward.node.server.ProcessListView;
import io.steward.node.server.ServerSummary;
import io.steward.node.server.ServicesBody;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.openapitools.jackson.nullable.JsonNullable;

/**
 * The dashboard's TypeScript types cannot drift from the node's: they are generated from the very records the API and
 * the live socket serialize (their Jackson names, enum wire names, {@link Nullable} fields, unions), and the committed
 * file {@code frontend/src/lib/wire.generated.ts} must be exactly what this test generates. After changing a record,
 * regenerate with {@code mvn -pl cluster-node test -Dtest=WireTypesTest -Dsteward.wire.regenerate=true}; the
 * frontend's type check then shows every place that must follow.
 */
class WireTypesTest {
    private static final Path GENERATED = Path.of("../frontend/src/lib/wire.generated.ts");

    /** Every body the API answers with or takes, and every frame of the live socket. */
    private static final List<Class<?>> ROOTS = List.of(
            ErrorResponses.ErrorBody.class,
            AuthRoutes.LoginRequest.class, AuthRoutes.Me.class, AuthRoutes.LoggedIn.class, AuthRoutes.LoggedOut.class,
            AuthRoutes.PasswordChange.class, AuthRoutes.PasswordChanged.class, AuthRoutes.ForgotRequest.class,
            AuthRoutes.ForgotAccepted.class, AuthRoutes.ResetRequest.class, AuthRoutes.PasswordReset.class,
            UserRoutes.UserBody.class, UserRoutes.UserRequest.class, UserRoutes.UserPatch.class,
            UserRoutes.AuditEntryBody.class,
            TokenRoutes.ApiTokenBody.class, TokenRoutes.ApiTokenRequest.class, TokenRoutes.ApiTokenCreated.class,
            ServerSummary.class, ServerRoutes.ServerDetailBody.class, ServerRoutes.ServerPatchRequest.class,
            ServerRoutes.MetricSeriesBody.class, ServerRoutes.HistoryPage.class, Deleted.class,
            ServicesBody.class, ProcessListView.class, ServiceRoutes.ActionRequest.class,
            ServiceRoutes.ActionDone.class, ServiceRoutes.LogLines.class, ServiceRoutes.AutoRestartRequest.class,
            ServiceRoutes.AutoRestartSet.class,
            AlertRuleRoutes.RuleBody.class, AlertRuleRoutes.RuleRequest.class,
            AlertRoutes.ActiveAlertBody.class, AlertRoutes.AlertEpisodeBody.class,
            AlertRoutes.AcknowledgeRequest.class, AlertRoutes.SilenceRequest.class, AlertRoutes.SilenceBody.class,
            AlertRoutes.SilenceEnded.class, AlertRoutes.InboxBody.class, AlertRoutes.ReadRequest.class,
            AlertRoutes.Unread.class,
            ChannelRoutes.ChannelBody.class, ChannelRoutes.ChannelRequest.class, ChannelRoutes.DeliveryBody.class,
            ChannelRoutes.TestSent.class, Outbox.Attempt.class,
            EnrollmentRoutes.TokenRequest.class, EnrollmentRoutes.TokenBody.class, EnrollmentRoutes.TokenList.class,
            EnrollmentRoutes.ReEnrollmentList.class, EnrollmentRoutes.IdentityChanged.class,
            NodeRoutes.Health.class, NodeRoutes.NodeBody.class, ClusterSnapshot.class, Readiness.class,
            BackupsBody.JobBody.class, BackupsBody.RunBody.class, BackupsBody.RestoreBody.class,
            BackupsBody.BackupKeyBody.class, BackupRoutes.JobRequest.class, BackupRoutes.TrustRequest.class,
            BackupRoutes.RestoreRequest.class, BackupRoutes.RunAccepted.class, BackupRoutes.RestoreAccepted.class,
            BackupRoutes.TreeBody.class,
            SshInstallRoutes.HostKeyRequest.class, SshInstallRoutes.SshInstallRequest.class,
            io.steward.node.install.SshInstalls.HostKey.class, io.steward.node.install.InstallJob.View.class,
            SettingsRoutes.SettingsBody.class, SettingsRoutes.FieldErrorsBody.class, SettingsRoutes.StorageBody.class,
            SettingsRoutes.PurgeRequest.class, SettingsRoutes.PurgeBody.class,
            UiFrame.class, UiRequest.class);

    @Test
    void theCommittedTypeScriptTypesAreTheOnesTheRecordsMake() throws Exception {
        String generated = generate();
        if (Boolean.getBoolean("steward.wire.regenerate")) {
            Files.writeString(GENERATED, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(GENERATED)).as(GENERATED + " exists").isTrue();
        assertThat(Files.readString(GENERATED, StandardCharsets.UTF_8))
                .as("wire.generated.ts is stale: regenerate it (see this test's Javadoc)")
                .isEqualTo(generated);
    }

    @Test
    void theValuesTheDashboardOnceMissedAreInTheirUnions() throws Exception {
        String generated = generate();
        assertThat(generated).contains("export type ServicesBodyRecoveryState = 'idle' | 'restarting' | 'gave-up'"
                + " | 'flapping' | 'held';");
        assertThat(generated).contains("export type InboxItemKind = 'firing' | 'resolved' | 'channel-failing'"
                + " | 'notifier-error' | 're-enrollment' | 'certificate-expiring';");
    }

    // ---------------------------------------------------------------- the generator

    private final Map<String, String> declarations = new TreeMap<>();
    private final Map<String, Class<?>> named = new HashMap<>();

    private String generate() {
        declarations.clear();
        named.clear();
        Deque<Class<?>> pending = new ArrayDeque<>(ROOTS);
        Set<Class<?>> done = new LinkedHashSet<>();
        while (!pending.isEmpty()) {
            Class<?> type = pending.removeFirst();
            if (done.add(type)) {
                declare(type, pending);
            }
        }
        StringBuilder out = new StringBuilder("""
                // Generated by WireTypesTest (cluster-node) from the node's Java records: do not edit by hand.
                // Regenerate: mvn -pl cluster-node test -Dtest=WireTypesTest -Dsteward.wire.regenerate=true
                """);
        declarations.values().forEach(declaration -> out.append('\n').append(declaration));
        return out.toString();
    }

    /** The TypeScript name of a Java type: nested types carry their outer name, except in a *Routes class. */
    private String nameOf(Class<?> type) {
        Class<?> outer = type.getEnclosingClass();
        String name = outer == null || outer.getSimpleName().endsWith("Routes")
                || outer.getSimpleName().endsWith("Responses")
                ? type.getSimpleName() : outer.getSimpleName() + type.getSimpleName();
        Class<?> before = named.putIfAbsent(name, type);
        assertThat(before == null || before == type).as("two types would be called " + name + ": " + before
                + " and " + type).isTrue();
        return name;
    }

    private void declare(Class<?> type, Deque<Class<?>> pending) {
        String name = nameOf(type);
        if (type.isEnum()) {
            List<String> values = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                values.add("'" + Json.MAPPER.convertValue(constant, String.class) + "'");
            }
            declarations.put(name, "export type " + name + " = " + String.join(" | ", values) + ";\n");
        } else if (type.isRecord() && type.isAnnotationPresent(JsonFormat.class)
                && type.getAnnotation(JsonFormat.class).shape() == JsonFormat.Shape.ARRAY) {
            List<String> items = new ArrayList<>();
            for (RecordComponent component : type.getRecordComponents()) {
                items.add(typeOf(component.getAnnotatedType(), pending));
            }
            declarations.put(name, "export type " + name + " = [" + String.join(", ", items) + "];\n");
        } else if (type.isRecord()) {
            declarations.put(name, record(type, name, pending));
        } else if (type.isInterface() && type.isSealed()) {
            declarations.put(name, union(type, name, pending));
        } else {
            throw new AssertionError("no TypeScript for " + type + ": give the wire a record, an enum or a sealed"
                    + " interface");
        }
    }

    private String record(Class<?> type, String name, Deque<Class<?>> pending) {
        List<String> supertypes = new ArrayList<>();
        StringBuilder fields = new StringBuilder();
        for (RecordComponent component : type.getRecordComponents()) {
            if (annotation(type, component, JsonUnwrapped.class) != null) {
                supertypes.add(typeOf(component.getAnnotatedType(), pending));
                continue;
            }
            String field = component.getName();
            JsonProperty property = annotation(type, component, JsonProperty.class);
            if (property != null && !property.value().isEmpty()) {
                field = property.value();
            }
            AnnotatedType annotated = component.getAnnotatedType();
            boolean patchField = component.getType() == JsonNullable.class;
            if (patchField) {
                annotated = ((java.lang.reflect.AnnotatedParameterizedType) annotated)
                        .getAnnotatedActualTypeArguments()[0];
            }
            String tsType = typeOf(annotated, pending);
            boolean nullable = patchField || annotated.isAnnotationPresent(Nullable.class);
            // A request may leave out what it may send as null; an answer always has every field.
            boolean optional = patchField || (nullable && name.endsWith("Request"));
            fields.append("  ").append(field).append(optional ? "?: " : ": ").append(tsType)
                    .append(nullable ? " | null" : "").append(";\n");
        }
        String extended = supertypes.isEmpty() ? "" : " extends " + String.join(", ", supertypes);
        return "export interface " + name + extended + " {\n" + fields + "}\n";
    }

    /** A Jackson annotation written on a record component: Java puts it on the field and the accessor. */
    private static <A extends java.lang.annotation.Annotation> A annotation(Class<?> type, RecordComponent component,
            Class<A> annotation) {
        A found = component.getAnnotation(annotation);
        if (found == null) {
            found = component.getAccessor().getAnnotation(annotation);
        }
        if (found == null) {
            try {
                found = type.getDeclaredField(component.getName()).getAnnotation(annotation);
            } catch (NoSuchFieldException e) {
                return null;
            }
        }
        return found;
    }

    private String union(Class<?> type, String name, Deque<Class<?>> pending) {
        JsonTypeInfo info = type.getAnnotation(JsonTypeInfo.class);
        Map<Class<?>, String> tags = new HashMap<>();
        JsonSubTypes subtypes = type.getAnnotation(JsonSubTypes.class);
        if (subtypes != null) {
            for (JsonSubTypes.Type subtype : subtypes.value()) {
                tags.put(subtype.value(), subtype.name());
            }
        }
        List<String> members = new ArrayList<>();
        for (Class<?> permitted : type.getPermittedSubclasses()) {
            pending.add(permitted);
            String member = nameOf(permitted);
            if (info != null) {
                String tag = tags.get(permitted);
                assertThat(tag).as("the @JsonSubTypes name of " + permitted).isNotNull();
                member = "({ " + info.property() + ": '" + tag + "' } & " + member + ")";
            }
            members.add(member);
        }
        return "export type " + name + " =\n  | " + String.join("\n  | ", members) + ";\n";
    }

    private String typeOf(AnnotatedType annotated, Deque<Class<?>> pending) {
        Type type = annotated.getType();
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            AnnotatedType[] arguments = ((java.lang.reflect.AnnotatedParameterizedType) annotated)
                    .getAnnotatedActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) {
                return element(typeOf(arguments[0], pending)) + "[]";
            }
            if (Map.class.isAssignableFrom(raw)) {
                return "Record<string, " + typeOf(arguments[1], pending) + ">";
            }
            throw new AssertionError("no TypeScript for " + type);
        }
        Class<?> raw = (Class<?>) type;
        if (raw == String.class || raw == Instant.class || raw == Duration.class || raw == char.class) {
            return "string";
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return "boolean";
        }
        if (raw.isPrimitive() || Number.class.isAssignableFrom(raw)) {
            return "number";
        }
        if (raw == Object.class) {
            return "unknown";
        }
        pending.add(raw);
        return nameOf(raw);
    }

    /** An element type in parentheses when it is a union, so {@code (A | B)[]} stays a list of either. */
    private static String element(String type) {
        return type.contains("|") ? "(" + type + ")" : type;
    }
}
