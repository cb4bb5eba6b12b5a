package dev.aeon.controlplane.account;

import dev.aeon.auth.ApiKeyPrincipal;
import dev.aeon.controlplane.error.CloudApiException;
import dev.aeon.controlplane.store.ResourceStore;
import io.temporal.api.cloud.account.v1.Account;
import io.temporal.api.cloud.cloudservice.v1.GetAccountRequest;
import io.temporal.api.cloud.cloudservice.v1.GetAccountResponse;
import io.temporal.api.cloud.resource.v1.ResourceState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The caller's own account; no API reaches another. */
@ApplicationScoped
public class AccountService {

    @Inject
    ResourceStore store;

    public GetAccountResponse get(ApiKeyPrincipal p, GetAccountRequest request) {
        if (!store.accountExists(p.accountId())) {
            throw CloudApiException.notFound("account", p.accountId());
        }
        return GetAccountResponse.newBuilder().setAccount(Account.newBuilder().setId(p.accountId())
                .setResourceVersion("1").setState(ResourceState.RESOURCE_STATE_ACTIVE)).build();
    }
}
