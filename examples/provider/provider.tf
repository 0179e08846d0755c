provider "rbac" {
  # Only the blocks of the vendors you use are needed; every attribute
  # falls back to an environment variable.
  flashduty {
    app_key = var.flashduty_app_key # or FLASHDUTY_APP_KEY
    # base_url = "https://api.flashcat.cloud" # or FLASHDUTY_BASE_URL
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

variable "rootly_api_token" {
  type      = string
  sensitive = true
}
