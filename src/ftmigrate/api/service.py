"""Placeholder: being written (issue 2)."""
LOCAL_BASE_URL = "local://"
def build_service_client(**kw): raise NotImplementedError
