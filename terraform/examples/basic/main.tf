# Aeon through Temporal's own `temporalcloud` Terraform provider: a namespace with API-key auth, an mTLS
# namespace, a service account with namespace access and an API key for it, a user with a namespace
# permission, and a Nexus endpoint targeting the namespace. terraform/check.sh applies, re-plans, updates
# and destroys it against a running Aeon.

terraform {
  required_providers {
    temporalcloud = {
      source = "temporalio/temporalcloud"
    }
  }
}

# endpoint / api_key / allow_insecure come from TEMPORAL_CLOUD_ENDPOINT (127.0.0.1:7240 in ./aeon dev),
# TEMPORAL_CLOUD_API_KEY ($AEON_API_KEY) and TEMPORAL_CLOUD_ALLOW_INSECURE=true (plaintext in ./aeon dev).
provider "temporalcloud" {}

variable "suffix" {
  description = "Appended to every name, so that runs do not collide."
  type        = string
  default     = "tf"
}

variable "region" {
  description = "An Aeon region id (GET /cloud/regions). The provider only accepts ids shaped <aws|gcp>-<name>."
  type        = string
  default     = "aws-local"
}

variable "retention_days" {
  type    = number
  default = 7
}

variable "ca_file" {
  description = "PEM CA bundle accepted by the mTLS namespace (./aeon certs ca --ca-cert FILE ...)."
  type        = string
}

resource "temporalcloud_namespace" "api_key" {
  name           = "tf-apikey-${var.suffix}"
  regions        = [var.region]
  api_key_auth   = true
  retention_days = var.retention_days
}

resource "temporalcloud_namespace" "mtls" {
  name               = "tf-mtls-${var.suffix}"
  regions            = [var.region]
  accepted_client_ca = base64encode(file(var.ca_file))
  retention_days     = var.retention_days
  certificate_filters = [
    { organization = "Acme" },
  ]
}

resource "temporalcloud_service_account" "worker" {
  name           = "tf-worker-${var.suffix}"
  description    = "runs workers in ${temporalcloud_namespace.api_key.name}"
  account_access = "read"
  namespace_accesses = [
    {
      namespace_id = temporalcloud_namespace.api_key.id
      permission   = "write"
    },
  ]
}

resource "temporalcloud_apikey" "worker" {
  display_name = "tf-worker-${var.suffix}"
  description  = "the worker's key"
  owner_type   = "service-account"
  owner_id     = temporalcloud_service_account.worker.id
  expiry_time  = "2030-01-01T00:00:00Z"
  disabled     = false
}

resource "temporalcloud_user" "developer" {
  email          = "tf-developer-${var.suffix}@example.com"
  account_access = "developer"
  namespace_accesses = [
    {
      namespace_id = temporalcloud_namespace.api_key.id
      permission   = "read"
    },
  ]
}

resource "temporalcloud_nexus_endpoint" "hello" {
  name        = "tf-hello-${var.suffix}"
  description = "hello service, handled in ${temporalcloud_namespace.api_key.name}"
  worker_target = {
    namespace_id = temporalcloud_namespace.api_key.id
    task_queue   = "hello-handler"
  }
  allowed_caller_namespaces = [
    temporalcloud_namespace.api_key.id,
  ]
}

output "api_key_namespace_id" {
  value = temporalcloud_namespace.api_key.id
}

output "api_key_namespace_grpc_address" {
  value = temporalcloud_namespace.api_key.endpoints.grpc_address
}

output "mtls_namespace_id" {
  value = temporalcloud_namespace.mtls.id
}

output "worker_api_key" {
  value     = temporalcloud_apikey.worker.token
  sensitive = true
}
