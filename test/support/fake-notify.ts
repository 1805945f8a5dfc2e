/** The local GOV.UK Notify stand-in lives in local/ (npm start and the demo run it); the tests import it from here. */
export * from '#local/fake-notify';
