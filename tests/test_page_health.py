"""The web page's Health view and the cards' health badges (issue 29), and what the page does with a call
that comes back after the session it was made in."""

from vaultpage import api, sign_in, unlock

# A call still under way when the page forgets its token (as at sign-out, when the report asked for after
# unlocking has not come back yet): its 401 belongs to a session that is already over.
LATE_CALL = """const done = arguments[arguments.length - 1];
import("./session.js").then(async (session) => {
  const late = session.call("GET", "fetchall").catch((problem) => problem.status);
  session.forgetToken();
  done(await late);
});"""


def test_a_401_for_a_token_the_page_already_forgot_ends_nothing_more(browser, vault_server):
    page = browser
    server = vault_server()
    sign_in(page, server)
    unlock(page)
    api(server, "DELETE", "auth", token=page.script("return sessionStorage.getItem('opp.token')"))
    assert page.driver.execute_async_script(LATE_CALL) == 401
    assert page.find("#vault-view").is_displayed()
    assert page.script("return document.querySelector('#signin-error').hidden") is True
