package io.steward.node;

import com.typesafe.config.Config;
import io.steward.node.auth.AccountSettings;
import io.steward.node.auth.AuditLog;
import io.steward.node.auth.PasswordHashing;
import io.steward.node.auth.Secrets;
import io.steward.node.auth.UserStore;
import io.steward.node.database.Database;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;

/**
 * {@code java -jar steward-node.jar reset-password USER [database options]}: a lost password's way back, for whoever
 * has the machine. Works on the node's database directly, with the node stopped (embedded H2 allows one process);
 * sets a new generated password, enables the account, ends its sessions, records it in the audit log and prints it.
 */
final class ResetPasswordCommand {
    static final String USAGE = """
            Usage: java -jar steward-node.jar reset-password USER [--data-dir DIR | --db-url URL --db-user USER]
                   [--config FILE]

            Sets a new, generated password for USER (enabling the account if it was disabled), ends its sessions,
            and prints the password. Stop the node first when it uses the embedded database.
            """;

    private ResetPasswordCommand() {}

    /** Runs the command; returns the process exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].startsWith("-")) {
            err.print(USAGE);
            return 2;
        }
        String username = args[0];
        Config config;
        try {
            config = NodeConfig.load(NodeMain.parse(Arrays.copyOfRange(args, 1, args.length)));
        } catch (NodeMain.UsageException e) {
            err.println("steward-node reset-password: " + (e.getMessage() == null ? "" : e.getMessage()));
            err.print(USAGE);
            return 2;
        }
        AccountSettings settings = AccountSettings.fromConfig(config);
        Database database;
        try {
            database = Database.open(NodeConfig.databaseSettings(config));
        } catch (RuntimeException e) {
            String message = NodeMain.rootMessage(e);
            err.println("steward-node reset-password: " + message);
            if (message != null && (message.contains("already in use") || message.contains("is locked"))) {
                err.println("The node is running on this data directory: stop it first.");
            }
            return 1;
        }
        try (PasswordHashing hashing = new PasswordHashing(settings.bcryptCost(), 1, 1)) {
            database.migrate();
            Clock clock = Clock.systemUTC();
            UserStore users = new UserStore(database.dataSource(), clock, hashing, settings.sessionIdleTimeout());
            Optional<UserStore.Account> account = users.account(username);
            if (account.isEmpty()) {
                err.println("steward-node reset-password: no user named \"" + username + "\"; users: "
                        + String.join(", ", users.accounts().stream().map(UserStore.Account::username).toList()));
                return 1;
            }
            String password = Secrets.password();
            users.setPasswordHash(username, hashing.hashNow(password), null);
            if (account.get().disabled()) {
                users.update(username, new UserStore.Change(null, false, null));
            }
            new AuditLog(database.dataSource(), clock).record(AuditLog.COMMAND_LINE, "user.password-reset", username,
                    "reset-password command" + (account.get().disabled() ? "; account enabled again" : ""));
            out.println("New password for " + username + ": " + password);
            out.println("Every session of " + username + " has ended; log in with this password and change it.");
            return 0;
        } catch (Exception e) {
            err.println("steward-node reset-password: " + NodeMain.rootMessage(e));
            return 1;
        } finally {
            database.close();
            database.shutdownEmbedded();
        }
    }
}
