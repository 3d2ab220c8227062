"""/api/docs in a real browser: Swagger UI loads under its CSP and an operation can be tried.

Drives Debian's ``chromium`` through ``chromium-driver`` (``apt-get install chromium
chromium-driver``); skipped, saying so, where they are absent.
"""

import json
import shutil

import pytest

from tests.conftest import database_uri_for_subprocesses, http_request

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = [
    pytest.mark.skipif(
        not (CHROMIUM and CHROMEDRIVER),
        reason="needs Debian's chromium and chromium-driver (apt-get install chromium "
        "chromium-driver)",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,2000"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


def console_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def status_after_trying(wait, operation) -> str:
    """Open ``operation``, press "Try it out" and "Execute"; return the status shown."""
    from selenium.webdriver.common.by import By

    operation.find_element(By.CSS_SELECTOR, ".opblock-summary").click()
    wait.until(lambda _: operation.find_elements(By.CSS_SELECTOR, ".try-out__btn"))
    operation.find_element(By.CSS_SELECTOR, ".try-out__btn").click()
    wait.until(lambda _: operation.find_elements(By.CSS_SELECTOR, ".execute"))
    operation.find_element(By.CSS_SELECTOR, ".execute").click()
    cells = wait.until(
        lambda _: operation.find_elements(
            By.CSS_SELECTOR, ".live-responses-table tr.response .response-col_status"
        )
    )
    return cells[0].text.strip()


def app_token(url: str) -> str:
    credentials = {"username": "alice", "password": "velvet-orbit-harbor-lantern"}
    status, body, _ = http_request("POST", url + "/api/auth/login", credentials)
    assert status == 200, body
    return json.loads(body)["token"]


def test_the_docs_page_loads_without_console_errors_and_runs_a_request(app_process, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    app = app_process(database_uri_for_subprocesses(), API_DOCS_ENABLED="1")
    wait = WebDriverWait(browser, 20)
    browser.get(app.url + "/api/docs")

    # Every operation of the document is listed.
    wait.until(ready.presence_of_element_located((By.ID, "operations-account-register")))
    assert len(browser.find_elements(By.CSS_SELECTOR, ".opblock")) >= 11

    # Try it out: register with the example body, the request goes to this server.
    operation = browser.find_element(By.ID, "operations-account-register")
    assert status_after_trying(wait, operation).startswith("201")
    assert (
        '"username": "alice"'
        in operation.find_element(By.CSS_SELECTOR, ".live-responses-table .microlight").text
    )

    # Authorize with a login token, then an operation that needs one answers 200.
    token = app_token(app.url)
    browser.find_element(By.CSS_SELECTOR, ".auth-wrapper .authorize").click()
    field = wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, ".modal-ux input")))
    field.send_keys(token)
    browser.find_element(By.CSS_SELECTOR, ".modal-ux .auth-btn-wrapper .authorize").click()
    browser.find_element(By.CSS_SELECTOR, ".modal-ux .btn-done").click()
    me = browser.find_element(By.ID, "operations-account-me")
    assert status_after_trying(wait, me).startswith("200")

    assert console_errors(browser) == []
