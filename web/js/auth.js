// Cognito's JSON API, called directly from the browser (the same requests work
// against moto locally and against https://cognito-idp.<region>.amazonaws.com/).
// The ID token lives in sessionStorage only, so closing the tab signs out.
import { loadConfig } from "./config.js";
import { loadCatalogs, t } from "./i18n.js";

await loadCatalogs(); // the sign-in service's errors are worded in the common catalog

const ID_TOKEN = "dualcredit.idToken";
const ACCESS_TOKEN = "dualcredit.accessToken";

/** An error shaped like the API's: {status, code, message, errors: [{field, message}]}. */
export class ServiceError extends Error {
  constructor(status, code, message, errors = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.errors = errors;
  }
}

// Cognito's error types, in plain words (common catalog keys), and the form field each belongs to.
const COGNITO_ERRORS = {
  UsernameExistsException: ["email", "common.auth_email_taken"],
  InvalidPasswordException: ["password", null],
  CodeMismatchException: ["code", "common.auth_code_wrong"],
  EnableSoftwareTokenMFAException: ["code", "common.auth_totp_wrong"],
  ExpiredCodeException: ["code", "common.auth_code_expired"],
  NotAuthorizedException: [null, "common.auth_wrong_password"],
  UserNotFoundException: [null, "common.auth_wrong_password"],
  PasswordResetRequiredException: [null, "common.auth_reset_first"],
  LimitExceededException: [null, "common.auth_too_many"],
  TooManyRequestsException: [null, "common.auth_too_many"],
  TooManyFailedAttemptsException: [null, "common.auth_too_many"],
};

// What Cognito's password policy found missing (its own English), in the site's words.
const PASSWORD_RULES = [
  [/long enough|length/i, "common.password_too_short"],
  [/uppercase/i, "common.password_needs_upper"],
  [/lowercase/i, "common.password_needs_lower"],
  [/numeric|number/i, "common.password_needs_number"],
  [/symbol/i, "common.password_needs_symbol"],
];

function passwordMessage(raw) {
  const missing = PASSWORD_RULES.filter(([pattern]) => pattern.test(raw)).map(([, key]) => t(key));
  return missing.length ? t("common.password_weak", { rules: missing.join(" ") }) : t("common.password_weak_general");
}

function cognitoError(action, status, body) {
  const type = String(body.__type || body.code || "UnknownError").split("#").pop();
  const raw = String(body.message || body.Message || "");
  // NotAuthorizedException means a wrong password only when signing in.
  const known = type === "NotAuthorizedException" && action !== "InitiateAuth" ? null : COGNITO_ERRORS[type];
  const [field, plain] = known || [null, null];
  let message = plain ? t(plain) : t("common.error_try_again");
  const totpStep = action === "VerifySoftwareToken" || action === "RespondToAuthChallenge";
  if (totpStep && type === "CodeMismatchException") {
    message = t("common.auth_totp_wrong");
  } else if (totpStep && type === "NotAuthorizedException") {
    message = t("common.auth_timed_out");
  }
  if (type === "InvalidParameterException" && /password/i.test(raw)) {
    const words = passwordMessage(raw);
    return new ServiceError(status, type, words, [{ field: "password", message: words }]);
  }
  if (type === "InvalidParameterException" && /email|username/i.test(raw)) {
    const words = t("common.auth_email_invalid");
    return new ServiceError(status, type, words, [{ field: "email", message: words }]);
  }
  if (type === "InvalidPasswordException") message = passwordMessage(raw);
  return new ServiceError(status, type, message, field ? [{ field, message }] : []);
}

/**
 * One Cognito Identity Provider action; `withClient` adds the app client id: the
 * students' pool's, or `clientId` (the invited pool's, for staff and school users).
 */
export async function cognito(action, body, { withClient = true, clientId = null } = {}) {
  const config = await loadConfig();
  const endpoint = (config.cognitoEndpoint || `https://cognito-idp.${config.region}.amazonaws.com`).replace(/\/+$/, "");
  let response;
  try {
    response = await fetch(`${endpoint}/`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": `AWSCognitoIdentityProviderService.${action}`,
      },
      body: JSON.stringify(withClient ? { ClientId: clientId || config.clientId, ...body } : body),
    });
  } catch {
    throw new ServiceError(0, "network", t("common.auth_network"));
  }
  const text = await response.text();
  let data = {};
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    data = {};
  }
  if (!response.ok) throw cognitoError(action, response.status, data);
  return data;
}

export function signUp(email, password) {
  return cognito("SignUp", {
    Username: email,
    Password: password,
    UserAttributes: [{ Name: "email", Value: email }],
  });
}

export function confirmSignUp(email, code) {
  return cognito("ConfirmSignUp", { Username: email, ConfirmationCode: code });
}

export function resendCode(email) {
  return cognito("ResendConfirmationCode", { Username: email });
}

// A reset goes to both pools: the one that has the address emails a code (Cognito
// answers the other as if it had sent one, so as not to tell who has an account).
export async function forgotPassword(email) {
  const config = await loadConfig();
  const clients = [config.clientId, config.invitedClientId].filter(Boolean);
  const sent = await Promise.allSettled(clients.map((clientId) => cognito("ForgotPassword", { Username: email }, { clientId })));
  if (sent.every((result) => result.status === "rejected")) throw sent[0].reason;
  return sent.find((result) => result.status === "fulfilled").value;
}

const WRONG_CODE = ["CodeMismatchException", "ExpiredCodeException"];

export async function confirmForgotPassword(email, code, password) {
  const config = await loadConfig();
  const request = { Username: email, ConfirmationCode: code, Password: password };
  try {
    return await cognito("ConfirmForgotPassword", request);
  } catch (students) {
    if (!config.invitedClientId || students.code === "InvalidPasswordException") throw students;
    try {
      return await cognito("ConfirmForgotPassword", request, { clientId: config.invitedClientId });
    } catch (invited) {
      throw WRONG_CODE.includes(invited.code) || !WRONG_CODE.includes(students.code) ? invited : students;
    }
  }
}

function keep(result) {
  sessionStorage.setItem(ID_TOKEN, result.IdToken);
  if (result.AccessToken) sessionStorage.setItem(ACCESS_TOKEN, result.AccessToken);
}

const CHALLENGES = ["NEW_PASSWORD_REQUIRED", "MFA_SETUP", "SOFTWARE_TOKEN_MFA"];

function next(answer, clientId) {
  if (answer.AuthenticationResult) {
    keep(answer.AuthenticationResult);
    return { signedIn: true };
  }
  if (CHALLENGES.includes(answer.ChallengeName)) {
    return { challenge: answer.ChallengeName, session: answer.Session, clientId };
  }
  throw new ServiceError(400, "UnsupportedChallenge", t("common.auth_unsupported_step"));
}

/**
 * Sign in with USER_PASSWORD_AUTH: the students' pool, then (for an address it does
 * not know, or another password) the invited pool of staff and school users. Returns
 * {signedIn: true} or {challenge, session, clientId}: NEW_PASSWORD_REQUIRED (an
 * invited user's first sign-in), MFA_SETUP (set up an authenticator app) or
 * SOFTWARE_TOKEN_MFA (enter its code).
 */
export async function signIn(email, password) {
  const config = await loadConfig();
  const request = { AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: password } };
  let answer;
  try {
    answer = await cognito("InitiateAuth", request);
  } catch (error) {
    const unknown = ["NotAuthorizedException", "UserNotFoundException"].includes(error.code);
    if (!unknown || !config.invitedClientId) throw error;
    return next(await cognito("InitiateAuth", request, { clientId: config.invitedClientId }), config.invitedClientId);
  }
  return next(answer, config.clientId);
}

export async function setNewPassword(email, password, session, clientId = null) {
  const answer = await cognito("RespondToAuthChallenge", {
    ChallengeName: "NEW_PASSWORD_REQUIRED",
    Session: session,
    ChallengeResponses: { USERNAME: email, NEW_PASSWORD: password },
  }, { clientId });
  return next(answer, clientId);
}

/** The MFA_SETUP step: a new authenticator secret for this sign-in; {secret, session}. */
export async function startTotpSetup(session) {
  const answer = await cognito("AssociateSoftwareToken", { Session: session }, { withClient: false });
  return { secret: answer.SecretCode, session: answer.Session || session };
}

/** The otpauth:// URI an authenticator app imports (Google Authenticator's format). */
export function totpUri(secret, email) {
  const label = encodeURIComponent(`CTE Dual Credit:${email}`);
  return `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent("CTE Dual Credit")}`;
}

/** The first code proves the app has the secret; then sign-in ends with TOTP as the MFA. */
export async function finishTotpSetup(email, code, session, clientId) {
  const verified = await cognito("VerifySoftwareToken", {
    Session: session,
    UserCode: code,
    FriendlyDeviceName: "Authenticator app",
  }, { withClient: false });
  const answer = await cognito("RespondToAuthChallenge", {
    ChallengeName: "MFA_SETUP",
    Session: verified.Session || session,
    ChallengeResponses: { USERNAME: email },
  }, { clientId });
  const result = next(answer, clientId);
  const access = sessionStorage.getItem(ACCESS_TOKEN);
  if (result.signedIn && access) {
    await cognito("SetUserMFAPreference", {
      AccessToken: access,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    }, { withClient: false });
  }
  return result;
}

/** The SOFTWARE_TOKEN_MFA step: the code the authenticator app shows now. */
export async function answerTotp(email, code, session, clientId) {
  const answer = await cognito("RespondToAuthChallenge", {
    ChallengeName: "SOFTWARE_TOKEN_MFA",
    Session: session,
    ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: code },
  }, { clientId });
  return next(answer, clientId);
}

function decode(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const json = decodeURIComponent(
      Array.from(atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), "=")))
        .map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`)
        .join(""),
    );
    return JSON.parse(json);
  } catch {
    return null;
  }
}

/** The ID token if there is one that has not expired. */
export function idToken() {
  const token = sessionStorage.getItem(ID_TOKEN);
  if (!token) return null;
  const claims = decode(token);
  if (!claims || (claims.exp && claims.exp * 1000 <= Date.now())) {
    clearSession();
    return null;
  }
  return token;
}

/** The signed-in user's claims, or null. */
export function currentUser() {
  const token = idToken();
  const claims = token && decode(token);
  if (!claims) return null;
  const raw = claims["cognito:groups"];
  const groups = Array.isArray(raw) ? raw : String(raw || "").replace(/[[\]]/g, "").split(/[\s,]+/).filter(Boolean);
  const role = groups.includes("staff") ? "staff"
    : groups.includes("school") ? "school"
    : groups.includes("college") ? "college" : "student";
  return { email: claims.email, sub: claims.sub, role, schoolId: claims["custom:school_id"] || null, claims };
}

export function clearSession() {
  sessionStorage.removeItem(ID_TOKEN);
  sessionStorage.removeItem(ACCESS_TOKEN);
}

let signingOut = false;

/** True once sign-out started: requests still running then must not ask to sign in. */
export function isSigningOut() {
  return signingOut;
}

/** Ends the session here and, best effort, every refresh token at Cognito. */
export async function signOut() {
  signingOut = true;
  const access = sessionStorage.getItem(ACCESS_TOKEN);
  clearSession();
  if (access) {
    try {
      await cognito("GlobalSignOut", { AccessToken: access }, { withClient: false });
    } catch {
      // The tokens are gone from this tab either way.
    }
  }
}

/** Where a role lands after signing in. */
export function homeFor(user) {
  if (!user) return "/";
  return { staff: "/staff/", school: "/school/", college: "/college/", student: "/dashboard/" }[user.role];
}
