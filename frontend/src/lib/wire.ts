// The shape of every JSON the node sends or accepts, on /api and on the live socket (see README, "HTTP API").
// Nothing here is written by hand: the types are generated from the node's Java records into wire.generated.ts
// (WireTypesTest checks that file byte for byte), and this module only names them as the app calls them. The
// features import from here, never from the generated file. Types that are not on the wire (form drafts, view
// models) live with the feature that uses them.
import type { DeliveryBody, UiFrame } from './wire.generated';

// ---- Errors, and the answer to every DELETE ---------------------------------------------------------------------

export type { Deleted, ErrorBody, ProblemCode } from './wire.generated';

// ---- Sessions --------------------------------------------------------------------------------------------------

export type { LoggedIn, LoggedOut, LoginRequest, Me, UserStoreRole as Role } from './wire.generated';

// ---- Accounts: users, API tokens, passwords, the audit log -----------------------------------------------------

export type {
  ApiTokenBody as ApiToken, ApiTokenCreated, ApiTokenRequest, AuditEntryBody as AuditEntry, ForgotAccepted,
  ForgotRequest, PasswordChange, PasswordChanged, PasswordReset, ResetRequest, UserBody as User, UserPatch,
  UserRequest,
} from './wire.generated';

// ---- Servers ---------------------------------------------------------------------------------------------------

export type {
  HistoryPage as EventPage,
  MetricSeriesBody as SeriesAnswer,
  MetricsReport,
  MetricsReportHostInfo as HostInfo,
  MetricsReportProcessInfo as ProcessInfo,
  ProcessListView as ProcessList,
  ServerDetailBody as ServerDetail,
  ServerHistoryDetails as ServerEventDetails,
  ServerHistoryEntry as ServerEvent,
  ServerHistoryType as ServerEventType,
  ServerPatchRequest as DetailsPatch,
  ServerSummary,
  SystemIdentity,
  TokenBody as EnrollmentToken,
  TokenRequest as EnrollmentTokenRequest,
  TokenList as EnrollmentTokenList,
  EnrollmentTokensTokenInfo as EnrollmentTokenInfo,
  EnrollmentTokensState as EnrollmentTokenState,
  ReEnrollmentList,
  AgentCredentialsPendingReEnrollment as PendingReEnrollment,
  IdentityChanged,
  WindowPoint,
} from './wire.generated';

// The details of each type of audit entry (the node pairs `ServerHistory.Type.X` with its record `ServerHistory.X`),
// and the alert as the server entity holds it inside them (upper-case enums: 'CRITICAL', 'FIRING').
export type {
  ServerHistoryAgentVersionChanged, ServerHistoryAlertAcknowledged, ServerHistoryAlertCancelled, ServerHistoryAlertFired,
  ServerHistoryAlertPending, ServerHistoryAlertResolved, ServerHistoryAutoRestartChanged, ServerHistoryCameOnline,
  ServerHistoryDeleted, ServerHistoryHostnameChanged, ServerHistoryNotesChanged, ServerHistoryRegistered,
  ServerHistoryRegrouped, ServerHistoryRenamed, ServerHistoryReportsDropped, ServerHistoryRetagged,
  ServerHistoryServiceActionCompleted, ServerHistoryServiceActionRequested, ServerHistoryServiceFlapping,
  ServerHistoryServiceRecovered, ServerHistoryServiceRecoveryGaveUp, ServerHistoryServiceRestartAttempted,
  ServerHistoryServiceRestartFailed, ServerHistoryServiceWentDown, ServerHistorySilenceEnded, ServerHistorySilenced,
  ServerHistorySystemChanged, ServerHistoryWentOffline,
  ServerHistoryBackupAgentChanged, ServerHistoryBackupCompleted, ServerHistoryBackupFailed, ServerHistoryBackupHostKeyChanged,
  ServerHistoryBackupHostKeySeen, ServerHistoryBackupHostKeyTrusted, ServerHistoryBackupHostKeyUnavailable,
  ServerHistoryBackupJobCreated, ServerHistoryBackupJobDeleted, ServerHistoryBackupJobSettings, ServerHistoryBackupJobUpdated,
  ServerHistoryBackupMissed, ServerHistoryBackupPruned, ServerHistoryBackupRefused, ServerHistoryBackupRestoreFinished,
  ServerHistoryBackupRestoreStarted, ServerHistoryBackupStarted, ServerHistoryBackupVerified,
  ServerHistoryCredentialRevoked, ServerHistoryReEnrollmentDecided, ServerHistoryReEnrollmentRequested,
  ServerHistoryAlert as ServerEventAlert,
} from './wire.generated';

// ---- Alerting: rules, active alerts and their history, silences ------------------------------------------------

// `Severity` is the lower-case name the API uses everywhere, audit entries included.
export type {
  AcknowledgeRequest,
  AcknowledgementBody as Acknowledgement,
  ActiveAlertBody as ActiveAlert,
  AlertEpisodeBody as AlertEpisode,
  AlertPhase,
  ComparisonName as Comparison,
  RuleBody as AlertRule,
  RuleRequest as AlertRuleInput,
  ScopeBody as RuleScope,
  ScopeKind,
  SeverityName as Severity,
  SilenceBody as Silence,
  SilenceEnded,
  SilenceRequest as SilenceInput,
} from './wire.generated';

// ---- Notification channels and their deliveries ----------------------------------------------------------------

export type {
  ChannelBody as Channel,
  ChannelKind as ChannelType,
  ChannelRequest as ChannelInput,
  DeliveryBody as Delivery,
  DeliveryState,
  OutboxAttempt as DeliveryAttempt,
  TestSent as ChannelTestAnswer,
} from './wire.generated';

/**
 * Why a message was sent. Named through its field: the committed generated file calls the union NotificationKind,
 * the node's record field is a ChannelRoutes.DeliveryKind, and this name holds either way.
 */
export type DeliveryKind = DeliveryBody['kind'];

// ---- The inbox behind the bell ---------------------------------------------------------------------------------

export type {
  InboxBody as Inbox,
  InboxItem,
  InboxItemKind as InboxKind,
  ReadRequest as InboxReadRequest,
  Unread as InboxReadAnswer,
} from './wire.generated';

// ---- Services: what the agent watches on a server, controlling them, their logs ---------------------------------

// `ActionName` is what a person asks ('start' | 'stop' | 'restart'); the generated `ServiceAction` ('START' ...) is
// the agent protocol's own enum, seen only inside audit entries.
export type {
  ActionDone as ServiceActionAnswer,
  ActionName,
  ActionRequest as ServiceActionRequest,
  AutoRestartRequest,
  AutoRestartSet,
  LogLines,
  ServicesBody as ServiceList,
  ServicesBodyKind as ServiceKind,
  ServicesBodyRecovery as ServiceRecovery,
  ServicesBodyRecoveryState as RecoveryState,
  ServicesBodyService as Service,
  ServicesBodyStatus as ServiceStatus,
} from './wire.generated';

// ---- Backups: jobs of a server, their runs, host keys, snapshots and restores ------------------------------------

// `BackupJobInput` is what a person writes (POST and the full-replacement PUT); `BackupJob` what the node answers and
// pushes, with what it knows of the job (status, host key, last run, progress, snapshots, restores).
export type {
  BackupDestination,
  BackupFailure,
  BackupOperation,
  BackupsBodyBackupKeyBody as BackupKey,
  BackupsBodyHostKeyBody as HostKey,
  BackupsBodyJobBody as BackupJob,
  BackupsBodyProgressBody as BackupProgress,
  BackupsBodyRestoreBody as BackupRestore,
  BackupsBodyRestoreStateName as RestoreState,
  BackupsBodyRunBody as BackupRun,
  BackupsBodyRunStateName as RunState,
  BackupsBodyScheduleBody as BackupSchedule,
  BackupsBodyStatsBody as BackupStats,
  BackupsBodyStatus as BackupStatus,
  BackupsBodyTriggerName as RunTrigger,
  BackupsBodyVerificationBody as BackupVerification,
  DestinationRequest as BackupDestinationInput,
  JobRequest as BackupJobInput,
  RestoreAccepted,
  RestoreRequest,
  Retention,
  RetentionRequest as RetentionInput,
  RunAccepted,
  ScheduleRequest as BackupScheduleInput,
  TreeBody as SnapshotTree,
  TreeEntry as SnapshotEntry,
  TreeEntryKind as SnapshotEntryKind,
  TrustRequest as TrustHostKeyRequest,
} from './wire.generated';

// ---- The cluster: members, what each hosts, failovers (admin), and a node's readiness --------------------------

export type {
  ClusterEventKind,
  ClusterSnapshot as ClusterView,
  ClusterSnapshotEvent as ClusterEvent,
  ClusterSnapshotHosted as HostedEntities,
  ClusterSnapshotMember as ClusterMember,
  Failover,
  FailoverOutcome,
  FailoverPhase,
  MemberState,
  Readiness,
} from './wire.generated';

// ---- Runtime settings, storage per tier, data purge (admin) ----------------------------------------------------

export type {
  FieldErrorsBody,
  PurgeBody,
  PurgeRequest,
  PurgeTier,
  SettingBody as Setting,
  SettingKeyKind as SettingKind,
  SettingsBody,
  SettingsBookSource as SettingSource,
  StorageBody,
  StorageUsageTierUsage as TierUsage,
} from './wire.generated';

// ---- Installing an agent over SSH (admin): the host's key to confirm, then the install followed line by line --------

export type {
  HostKeyRequest as SshHostKeyRequest,
  InstallJobState as SshInstallState,
  InstallJobView as SshInstallJob,
  InstallStep as SshInstallStep,
  SshInstallRequest,
  SshInstallsHostKey as SshHostKey,
  SshInstallsPinState as SshHostKeyState,
} from './wire.generated';

// ---- The live socket (/ws/ui) ----------------------------------------------------------------------------------

/** Everything the node sends on the live socket, tagged by `type`. */
export type LiveFrame = UiFrame;
export type FleetFrame = Extract<UiFrame, { type: 'fleet' }>;
export type ServerFrame = Extract<UiFrame, { type: 'server' }>;
export type RemovedFrame = Extract<UiFrame, { type: 'removed' }>;
export type ServicesFrame = Extract<UiFrame, { type: 'services' }>;
/** Every job of a watched server, after any change of one (replaces the list). */
export type BackupsFrame = Extract<UiFrame, { type: 'backups' }>;
/** How far a job's run, restore or test restore is; about once a second while one runs. */
export type BackupProgressFrame = Extract<UiFrame, { type: 'backup-progress' }>;

/** What the page sends on the live socket; the node takes `type` as a string (see live-socket.ts for the values). */
export type { UiRequest as LiveRequest } from './wire.generated';
