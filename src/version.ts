/** Sent in the User-Agent; a test keeps it equal to package.json's version. */
export const ACTION_VERSION = '1.0.0'
/** Names the runtime too: a support request can then tell which Node ran the action. */
export const USER_AGENT = `phrase-pull-action/${ACTION_VERSION} (+https://github.com/marketplace/actions/phrase-pull) node/${process.version}`
