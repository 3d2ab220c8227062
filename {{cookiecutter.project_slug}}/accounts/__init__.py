# Django 3.1 (the djongo variant) finds AccountsConfig, and so its ready(), only through this;
# Django 3.2+ finds it by itself and ignores the name.
default_app_config = "accounts.apps.AccountsConfig"
