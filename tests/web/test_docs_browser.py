"""/docs in a real headless Chromium, served by waitress: the page renders every endpoint with no
internet, and a user can register, authorize with the token and call /auth/me from the page."""

import json
import shutil
from contextlib import contextmanager

import pytest
from helpers import migrate_to_head
from postgres import in_ci
from servers import server_environment, waitress

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
# Debian's flags for a root, offline, headless run (see the machine notes in the README).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,2400"]


@pytest.fixture
def browser(tmp_path):
    missing = [name for name, path in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER)) if not path]
    if missing:
        message = f"{' and '.join(missing)} not installed (Debian: apt-get install chromium chromium-driver)"
        if in_ci():
            pytest.fail(f"CI=true but {message}")
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def execute(driver, wait, operation_id):
    """Expand an operation, press "Try it out" and "Execute"; (status, parsed body) of the answer."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready

    block = f"#operations-{operation_id}"
    driver.find_element(By.CSS_SELECTOR, f"{block} .opblock-summary").click()
    wait.until(ready.element_to_be_clickable((By.CSS_SELECTOR, f"{block} .try-out__btn"))).click()
    wait.until(ready.element_to_be_clickable((By.CSS_SELECTOR, f"{block} .execute"))).click()
    status = wait.until(ready.visibility_of_element_located(
        (By.CSS_SELECTOR, f"{block} .live-responses-table .response .response-col_status")))
    body = driver.find_element(By.CSS_SELECTOR, f"{block} .live-responses-table .response-col_description pre")
    return status.text.strip(), json.loads(body.text)


def authorize(driver, wait, token):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready

    driver.find_element(By.CSS_SELECTOR, ".auth-wrapper .authorize").click()
    field = wait.until(ready.visibility_of_element_located((By.CSS_SELECTOR, ".modal-ux input[type=text]")))
    field.send_keys(token)
    driver.find_element(By.CSS_SELECTOR, ".modal-ux .auth-btn-wrapper .authorize").click()
    driver.find_element(By.CSS_SELECTOR, ".modal-ux .btn-done").click()


@contextmanager
def docs_page(browser, tmp_path):
    """/docs served by waitress on a migrated SQLite file, loaded in the browser: yields a waiter."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    url = f"sqlite:///{tmp_path / 'docs.db'}"
    migrate_to_head(url, tmp_path)
    with waitress(server_environment(url, tmp_path / "instance"), tmp_path / "waitress.log") as (base, _):
        browser.get(f"{base}/docs/")
        wait = WebDriverWait(browser, 30)
        wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, ".opblock")))
        yield wait


def test_docs_render_and_drive_the_api_in_a_browser(browser, tmp_path):
    from selenium.webdriver.common.by import By

    with docs_page(browser, tmp_path) as wait:
        rendered = {block.get_attribute("id") for block in browser.find_elements(By.CSS_SELECTOR, ".opblock")}
        assert {"operations-auth-auth_register", "operations-auth-auth_login",
                "operations-auth-auth_me", "operations-health-health_readiness"} <= rendered
        assert len(rendered) == 55
        assert "Loop.in API" in browser.find_element(By.CSS_SELECTOR, ".info .title").text
        browser.save_screenshot(str(tmp_path / "docs.png"))

        # The register example is the seed's request: run it as it is.
        status, tokens = execute(browser, wait, "auth-auth_register")
        assert status == "200" and tokens["token_type"] == "bearer"
        authorize(browser, wait, tokens["access_token"])
        status, me = execute(browser, wait, "auth-auth_me")
        assert (status, me["email"]) == ("200", "test@test.edu")
        browser.save_screenshot(str(tmp_path / "docs-me.png"))
        # Nothing the page did broke its Content-Security-Policy.
        assert not [entry for entry in browser.get_log("browser") if "Content Security Policy" in entry["message"]]
    assert (tmp_path / "docs.png").stat().st_size > 10_000


def test_docs_authorize_dialog_signs_in_with_the_password_form(browser, tmp_path):
    """Swagger UI's Authorize dialog, OAuth2 password flow: it posts the form to /auth/login, keeps the
    token, and the page's /auth/me then answers 200."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready

    with docs_page(browser, tmp_path) as wait:
        status, _tokens = execute(browser, wait, "auth-auth_register")  # the seed's example account
        assert status == "200"
        browser.find_element(By.CSS_SELECTOR, ".auth-wrapper .authorize").click()
        wait.until(ready.visibility_of_element_located((By.ID, "oauth_username"))).send_keys("test@test.edu")
        browser.find_element(By.ID, "oauth_password").send_keys("correct horse battery")
        oauth2 = "//input[@id='oauth_username']/ancestor::div[contains(@class, 'auth-container')]"
        browser.find_element(By.XPATH, f"{oauth2}//button[contains(@class, 'authorize')]").click()
        # Signed in, the section shows "Authorized" in place of its inputs.
        wait.until(ready.presence_of_element_located((By.XPATH, "//h4[contains(., 'oauth2')]/following-sibling::h6"
                                                                 "[contains(., 'Authorized')]")))
        browser.save_screenshot(str(tmp_path / "docs-oauth2.png"))
        browser.find_element(By.CSS_SELECTOR, ".modal-ux .btn-done").click()
        status, me = execute(browser, wait, "auth-auth_me")
        assert (status, me["email"]) == ("200", "test@test.edu")
