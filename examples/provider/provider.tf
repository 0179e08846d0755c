provider "rbac" {
  # Only the blocks of the vendors you use are needed; every attribute
  # falls back to an environment variable.
  flashduty {
    app_key = var.flashduty_app_key # or FLASHDUTY_APP_KEY
    # base_url = "https://api.flashcat.cloud" # or FLASHDUTY_BASE_URL
  }

  slashid {
    org_id  = var.slashid_org_id  # or SLASHID_ORG_ID
    api_key = var.slashid_api_key # or SLASHID_API_KEY
    # base_url          = "https://api.slashid.com" # or SLASHID_BASE_URL
    # consistency         = "all_regions" # wait for every region on writes
    # consistency_timeout = 60            # seconds, 1-120
  }

  zenml {
    base_url = "https://cloudapi.zenml.io" # or ZENML_PRO_URL (your control plane when self-hosted)
    api_key  = var.zenml_pro_api_key       # or ZENML_PRO_API_KEY (a ZENPROKEY_… service-account key)
  }

  rootly {
    api_token = var.rootly_api_token # or ROOTLY_API_TOKEN
    # base_url            = "https://api.rootly.com" # or ROOTLY_BASE_URL
    # max_requests_per_minute = 3000
  }
}

variable "flashduty_app_key" {
  type      = string
  sensitive = true
}

variable "slashid_org_id" {
  type = string
}

variable "slashid_api_key" {
  type      = string
  sensitive = true
}

variable "rootly_api_token" {
  type      = string
  sensitive = true
}

variable "zenml_pro_api_key" {
  type      = string
  sensitive = true
}
