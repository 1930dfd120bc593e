package app.connectors.account;

import app.connectors.auth.TokenService;
import app.connectors.problem.FieldError;
import app.connectors.problem.NotFoundException;
import app.connectors.problem.ValidationException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the host platform does to its users here: create or change a user's plan, and give a new
 * user a first API token. A downgrade keeps existing connectors; new ones are refused until the
 * count is under the new plan's limit.
 *
 * <pre>{@code
 * AccountResult r = accounts.upsert("user-42", "pro");
 * r.firstToken(); // present only when the user had no token yet
 * }</pre>
 */
public final class AccountService {

    private final UserStore users;
    private final TokenService tokens;

    public AccountService(UserStore users, TokenService tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    public AccountResult upsert(String userId, String tierName) {
        List<FieldError> errors = new ArrayList<>();
        User.idError(userId).ifPresent(errors::add);
        var tier = Tier.parse(tierName);
        if (tier.isEmpty()) {
            errors.add(new FieldError("tier", "tier must be one of " + Tier.allIds()));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException("The account request is invalid.", errors);
        }
        var result = users.upsert(userId, tier.get());
        String firstToken = null;
        if (!tokens.hasTokens(userId)) {
            firstToken = tokens.issue(userId, "first token").token();
        }
        return new AccountResult(result.user(), result.created(), result.previousTier(), firstToken);
    }

    /**
     * A new API token for an existing user: the way back for a user who lost every token (tokens are
     * stored hashed, so a lost one cannot be shown again). Their other tokens keep working.
     */
    public TokenService.IssuedToken issueToken(String userId, String name) {
        User.idError(userId).ifPresent(error -> {
            throw ValidationException.of(error.field(), error.message());
        });
        if (users.find(userId).isEmpty()) {
            throw new NotFoundException("No user " + userId + "; create it first with {\"userId\": \"" + userId
                    + "\", \"tier\": \"pro\"}.");
        }
        return tokens.issue(userId, name);
    }

    /** The user after the change; {@code firstToken} is non-null only when a first token was issued now. */
    public record AccountResult(User user, boolean created, Tier previousTier, String firstToken) {
    }
}
