/**
 * The kiosk software's version, as its health report tells the portal. It is package.json's
 * `version`, kept equal by app-version.test.ts: the shells put the code in different places
 * (sources under tsx, dist/ in the Electron package), so reading the file at run time would
 * depend on where it landed.
 */
export const KIOSK_APP_VERSION = '0.1.0';
