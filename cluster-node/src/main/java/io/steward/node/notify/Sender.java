package io.steward.node.notify;

/** Delivers one message to one channel, or throws saying why not. Blocking: called on the notifier's own pool. */
@FunctionalInterface
public interface Sender {

    /**
     * @param deliveryId the outbox row's id: sent along (header, email header) so a receiver can drop a duplicate
     *     after a retry whose first attempt did arrive
     */
    void send(Channel channel, Notification notification, long deliveryId) throws DeliveryException;

    /** Why a delivery failed, in words fit for the UI (never a secret). */
    final class DeliveryException extends Exception {
        public DeliveryException(String message) {
            super(message, null, false, false);
        }
    }
}
