// The tus constants the phone's upload client needs, kept apart from the schemas (TypeBox) so
// the service worker and the form's lazy chunk do not carry a schema library.
export const TUS_VERSION = '1.0.0';
export const UPLOADS_PATH = '/api/uploads';
