package app.connectors.oauth;

import app.connectors.config.Settings;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The operator's OAuth apps: a client id per provider (from {@code <PROVIDER>_CLIENT_ID}; a provider
 * without one is not offered) and its client secret, read on first use and kept for the execution
 * environment. On AWS the secret is the SecureString parameter {@code <OAUTH_SECRETS_PATH><provider>-client-secret};
 * a secret in an environment variable ({@code <PROVIDER>_CLIENT_SECRET}) is honoured only on the local
 * stack, so a deployed function never carries one in its configuration.
 *
 * <pre>{@code
 * OAuthApps apps = OAuthApps.from(settings, name -> ssm.getParameter(r -> r.name(name).withDecryption(true)).parameter().value());
 * if (apps.configured(OAuthProvider.SLACK)) { String id = apps.clientId(OAuthProvider.SLACK); }
 * }</pre>
 */
public final class OAuthApps {

    private final Map<OAuthProvider, String> clientIds;
    private final Map<OAuthProvider, String> localSecrets;
    private final String secretsPath;
    private final Function<String, String> parameterStore;
    private final Map<OAuthProvider, String> loaded = new EnumMap<>(OAuthProvider.class);

    OAuthApps(Map<OAuthProvider, String> clientIds, Map<OAuthProvider, String> localSecrets, String secretsPath,
              Function<String, String> parameterStore) {
        this.clientIds = Map.copyOf(clientIds);
        this.localSecrets = Map.copyOf(localSecrets);
        this.secretsPath = secretsPath;
        this.parameterStore = parameterStore;
    }

    /**
     * @param parameterStore reads a SecureString parameter by name (decrypted); called at most once per provider
     * @throws IllegalStateException when a client secret is in an environment variable outside the local stack
     */
    public static OAuthApps from(Settings settings, Function<String, String> parameterStore) {
        Map<OAuthProvider, String> ids = new EnumMap<>(OAuthProvider.class);
        Map<OAuthProvider, String> secrets = new EnumMap<>(OAuthProvider.class);
        for (OAuthProvider provider : OAuthProvider.values()) {
            settings.optional(provider.variablePrefix() + Settings.CLIENT_ID_SUFFIX).ifPresent(id -> ids.put(provider, id.strip()));
            Optional<String> secret = settings.optional(provider.variablePrefix() + Settings.CLIENT_SECRET_SUFFIX);
            if (secret.isPresent()) {
                if (!settings.allowPlainHttp()) {
                    throw new IllegalStateException("environment variable " + provider.variablePrefix() + Settings.CLIENT_SECRET_SUFFIX
                            + " is for the local stack only; on AWS put the secret in the SecureString parameter "
                            + settings.optional(Settings.OAUTH_SECRETS_PATH).orElse("<OAUTH_SECRETS_PATH>") + provider.id()
                            + "-client-secret");
                }
                secrets.put(provider, secret.get());
            }
        }
        return new OAuthApps(ids, secrets, settings.optional(Settings.OAUTH_SECRETS_PATH).orElse(null), parameterStore);
    }

    public boolean configured(OAuthProvider provider) {
        return clientIds.containsKey(provider);
    }

    /** The providers the portal offers, in a stable order. */
    public List<OAuthProvider> configured() {
        return Arrays.stream(OAuthProvider.values()).filter(this::configured).toList();
    }

    public String clientId(OAuthProvider provider) {
        String id = clientIds.get(provider);
        if (id == null) {
            throw new ConnectFailure(ConnectFailure.Reason.NOT_CONFIGURED, "Connect to " + provider.displayName()
                    + " is not set up on this service; ask its operator, or create the connector by pasting its details.");
        }
        return id;
    }

    /** The client secret: never logged, never sent anywhere but the provider's token endpoint. */
    public synchronized String clientSecret(OAuthProvider provider) {
        clientId(provider);
        String secret = localSecrets.get(provider);
        if (secret != null) {
            return secret;
        }
        return loaded.computeIfAbsent(provider, p -> {
            if (secretsPath == null) {
                throw new IllegalStateException("environment variable " + Settings.OAUTH_SECRETS_PATH
                        + " is not set; template.yaml must name where the OAuth client secrets are");
            }
            return parameterStore.apply(secretsPath + p.id() + "-client-secret");
        });
    }
}
