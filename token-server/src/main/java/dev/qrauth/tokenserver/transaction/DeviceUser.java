package dev.qrauth.tokenserver.transaction;

import dev.qrauth.tokenserver.transaction.TransactionStore.SessionGrant;

/**
 * A device user as an identity of {@link dev.qrauth.tokenserver.security.Roles#DEVICE_USER}
 * carries it ({@link DeviceUserAuthentication}): the credentials as presented, kept so that the
 * full path can check them again in its own database transaction, and the remembered grant that
 * the hot path's statements check against the stored rows.
 *
 * @param authorization the device's {@code Authorization} header as sent, or null
 * @param accessToken   the {@code X-Access-Token} header as sent, or null
 * @param userId        the user in the path
 * @param grant         what was verified of these credentials, or null when the hot path cannot
 *                      act for them (the user is not enrolled)
 */
record DeviceUser(String authorization, String accessToken, String userId, SessionGrant grant) {

    @Override
    public String toString() {
        return "DeviceUser[user " + userId + "]";
    }
}
