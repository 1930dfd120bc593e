package app.connectors.auth;

import app.connectors.account.Tier;

/** The authenticated caller of the API. */
public record Principal(String userId, Tier tier, String tokenId) {
}
