// Where the pages find the API and Cognito. `make dev` serves CONFIG_URL; a
// production deploy writes FALLBACK_CONFIG_URL next to the pages. Nothing else in
// the front end knows an address, a pool id or a client id.
import { loadCatalogs, t } from "./i18n.js";

export const CONFIG_URL = "/_dev/config.json";
export const FALLBACK_CONFIG_URL = "/config.json";

const REQUIRED = ["apiUrl", "userPoolId", "clientId", "invitedUserPoolId", "invitedClientId", "region"];
let loading = null;

async function fetchConfig(url) {
  const response = await fetch(url, { cache: "no-store", headers: { Accept: "application/json" } });
  if (!response.ok) return null;
  try {
    const config = await response.json();
    return REQUIRED.every((name) => typeof config[name] === "string" && config[name]) ? config : null;
  } catch {
    return null;
  }
}

/** The site configuration: {apiUrl, cognitoEndpoint?, userPoolId, clientId (students), invitedUserPoolId, invitedClientId (staff, school users), region}. */
export function loadConfig() {
  if (!loading) {
    loading = (async () => {
      for (const url of [CONFIG_URL, FALLBACK_CONFIG_URL]) {
        try {
          const config = await fetchConfig(url);
          if (config) {
            return { ...config, apiUrl: config.apiUrl.replace(/\/+$/, "") };
          }
        } catch {
          // try the next one
        }
      }
      loading = null;
      await loadCatalogs();
      throw new Error(t("common.error_not_configured"));
    })();
  }
  return loading;
}
