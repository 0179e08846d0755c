provider "rbac" {
  # Only the blocks of the vendors you use are needed; every attribute
  # falls back to an environment variable.
  flashduty {
    app_key = var.flashduty_app_key # or FLASHDUTY_APP_KEY
    # base_url = "https://api.flashcat.cloud" # or FLASHDUTY_BASE_URL
  }
}

variable "flashduty_app_key" {
  type      = string
  sensitive = true
}
