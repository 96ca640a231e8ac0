/**
 * Installing an agent on a server over SSH, from the dashboard: the host key shown to an admin and pinned once
 * confirmed, the password or private key used for one connection and never stored, the agent bundle and install.sh
 * uploaded and run (with sudo when the account is not root), every step logged for the browser to follow.
 */
package io.steward.node.install;
