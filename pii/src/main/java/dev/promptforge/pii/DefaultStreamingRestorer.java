package dev.promptforge.pii;

// Holds back only a tail starting at the last '<' that could still grow into a placeholder.
final class DefaultStreamingRestorer implements StreamingRestorer {

    private final PiiVault vault;
    private final StringBuilder pending = new StringBuilder();
    private boolean finished;

    DefaultStreamingRestorer(PiiVault vault) {
        this.vault = vault;
    }

    @Override
    public String push(CharSequence chunk) {
        if (finished) {
            throw new IllegalStateException("the stream is finished");
        }
        pending.append(chunk);
        int cut = pending.length();
        int open = pending.lastIndexOf("<");
        if (open >= 0 && pending.indexOf(">", open) < 0 && vault.isPlaceholderPrefix(pending, open, pending.length())) {
            cut = open;
        }
        if (cut == 0) {
            return "";
        }
        StringBuilder out = new StringBuilder(cut + 16);
        vault.restoreInto(pending, 0, cut, out);
        pending.delete(0, cut);
        return out.toString();
    }

    @Override
    public String finish() {
        finished = true;
        StringBuilder out = new StringBuilder(pending.length());
        vault.restoreInto(pending, 0, pending.length(), out);
        pending.setLength(0);
        return out.toString();
    }
}
