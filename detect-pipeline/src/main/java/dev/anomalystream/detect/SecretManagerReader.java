package dev.anomalystream.detect;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import dev.anomalystream.core.alert.SecretReader;
import java.io.IOException;

/**
 * Secrets from Google Cloud Secret Manager, with the credentials of the process (on Dataflow, the
 * worker service account, which needs {@code roles/secretmanager.secretAccessor} on the secret).
 */
final class SecretManagerReader implements SecretReader {
  private final SecretManagerServiceClient client;

  SecretManagerReader() throws IOException {
    client = SecretManagerServiceClient.create();
  }

  @Override
  public String read(String versionName) throws IOException {
    SecretReader.requireVersionName(versionName, "a secret to read");
    try {
      // stripped like a password file: a secret made with `echo ... | gcloud secrets create`
      // ends with a newline that is no part of the password
      return client.accessSecretVersion(versionName).getPayload().getData().toStringUtf8().strip();
    } catch (ApiException e) {
      throw new IOException(versionName + ": " + e.getStatusCode().getCode() + " " + e, e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
