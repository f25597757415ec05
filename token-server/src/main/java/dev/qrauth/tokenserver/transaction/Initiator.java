package dev.qrauth.tokenserver.transaction;

import dev.qrauth.tokenserver.transaction.TransactionStore.ClientGrant;

/**
 * An API client as an identity of {@link dev.qrauth.tokenserver.security.Roles#INITIATOR} carries
 * it ({@link InitiatorAuthentication}): the credentials as presented, kept so that the full path
 * can check them again in its own database transaction, and the remembered grant that the hot
 * path's statements check against the stored rows.
 *
 * @param authorization    the {@code Authorization} header as sent, or null
 * @param formClientId     {@code client_id} of the url-encoded form, or null
 * @param formClientSecret {@code client_secret} of the url-encoded form, or null
 * @param grant            what was verified of these credentials, or null when it could not be
 *                         remembered
 */
record Initiator(String authorization, String formClientId, String formClientSecret, ClientGrant grant) {

    @Override
    public String toString() {
        return "Initiator[client " + (grant == null ? "?" : grant.clientId()) + "]";
    }
}
