package dev.promptforge.server.secrets;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Envelope encryption of one secret with Tink: the value is encrypted (AES-256-GCM) with a fresh
 * data key; the data key, as a Tink keyset, is encrypted by the master key. Both are bound to the
 * secret's name (associated data), so a ciphertext copied to another name does not decrypt.
 */
public final class SecretEnvelope {

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private SecretEnvelope() {}

    /** A sealed secret: the wrapped data key and the ciphertext, both base64. */
    public record Sealed(String wrappedKey, String ciphertext) {}

    /** Encrypts a value under a new data key wrapped by {@code master}. */
    public static Sealed seal(MasterKey master, String name, String value) {
        byte[] context = context(name);
        try {
            KeysetHandle dataKey = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            Aead aead = dataKey.getPrimitive(RegistryConfiguration.get(), Aead.class);
            byte[] ciphertext = aead.encrypt(value.getBytes(StandardCharsets.UTF_8), context);
            byte[] wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(dataKey, master.aead(), context);
            return new Sealed(
                    Base64.getEncoder().encodeToString(wrapped),
                    Base64.getEncoder().encodeToString(ciphertext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt secret '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * Decrypts a value.
     *
     * @throws GeneralSecurityException when the master key is not the one it was sealed with, or the
     *     stored bytes or the name were changed
     */
    public static String open(MasterKey master, String name, Sealed sealed) throws GeneralSecurityException {
        byte[] context = context(name);
        byte[] wrapped;
        byte[] ciphertext;
        try {
            wrapped = Base64.getDecoder().decode(sealed.wrappedKey());
            ciphertext = Base64.getDecoder().decode(sealed.ciphertext());
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("the stored secret is not base64", e);
        }
        KeysetHandle dataKey = TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, master.aead(), context);
        Aead aead = dataKey.getPrimitive(RegistryConfiguration.get(), Aead.class);
        return new String(aead.decrypt(ciphertext, context), StandardCharsets.UTF_8);
    }

    private static byte[] context(String name) {
        return ("promptforge/secret/" + name).getBytes(StandardCharsets.UTF_8);
    }
}
