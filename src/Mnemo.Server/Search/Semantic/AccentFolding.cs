namespace Mnemo.Server.Search.Semantic;

/// <summary>
/// Accents taken off letters, as an uncased BERT tokenizer does (NFD, then combining marks dropped). The server
/// runs with invariant globalization, where string.Normalize cannot decompose, so the tokenizer would see "café"
/// as one unknown word piece; this table (generated from Unicode's decompositions: Latin-1 to Latin Extended-B,
/// Greek, Cyrillic, Latin Extended Additional) folds such letters to their base before tokenizing.
/// </summary>
internal static class AccentFolding
{
    private static readonly Block[] Blocks =
    [
        new(0x00C0, string.Concat(
            "AAAAAA\u00C6CEEEEIIII\u00D0NOOOOO\u00D7\u00D8UUUUY\u00DE\u00DF",
            "aaaaaa\u00E6ceeeeiiii\u00F0nooooo\u00F7\u00F8uuuuy\u00FEy",
            "AaAaAaCcCcCcCcDd\u0110\u0111EeEeEeEeEeGgGg",
            "GgGgHh\u0126\u0127IiIiIiIiI\u0131\u0132\u0133JjKk\u0138LlLlLl\u013F",
            "\u0140\u0141\u0142NnNnNn\u0149\u014A\u014BOoOoOo\u0152\u0153RrRrRrSsSsSs",
            "SsTtTt\u0166\u0167UuUuUuUuUuUuWwYyYZzZzZz\u017F",
            "\u0180\u0181\u0182\u0183\u0184\u0185\u0186\u0187\u0188\u0189\u018A\u018B\u018C\u018D\u018E\u018F\u0190\u0191\u0192\u0193\u0194\u0195\u0196\u0197\u0198\u0199\u019A\u019B\u019C\u019D\u019E\u019F",
            "Oo\u01A2\u01A3\u01A4\u01A5\u01A6\u01A7\u01A8\u01A9\u01AA\u01AB\u01AC\u01AD\u01AEUu\u01B1\u01B2\u01B3\u01B4\u01B5\u01B6\u01B7\u01B8\u01B9\u01BA\u01BB\u01BC\u01BD\u01BE\u01BF",
            "\u01C0\u01C1\u01C2\u01C3\u01C4\u01C5\u01C6\u01C7\u01C8\u01C9\u01CA\u01CB\u01CCAaIiOoUuUuUuUuUu\u01DDAa",
            "Aa\u00C6\u00E6\u01E4\u01E5GgKkOoOo\u01B7\u0292j\u01F1\u01F2\u01F3Gg\u01F6\u01F7NnAa\u00C6\u00E6\u00D8\u00F8",
            "AaAaEeEeIiIiOoOoRrRrUuUuSsTt\u021C\u021DHh",
            "\u0220\u0221\u0222\u0223\u0224\u0225AaEeOoOoOoOoYy\u0234\u0235\u0236\u0237\u0238\u0239\u023A\u023B\u023C\u023D\u023E\u023F",
            "\u0240\u0241\u0242\u0243\u0244\u0245\u0246\u0247\u0248\u0249\u024A\u024B\u024C\u024D\u024E\u024F")),
        new(0x0370, string.Concat(
            "\u0370\u0371\u0372\u0373\u02B9\u0375\u0376\u0377\u0378\u0379\u037A\u037B\u037C\u037D;\u037F\u0380\u0381\u0382\u0383\u0384\u00A8\u0391\u00B7\u0395\u0397\u0399\u038B\u039F\u038D\u03A5\u03A9",
            "\u03B9\u0391\u0392\u0393\u0394\u0395\u0396\u0397\u0398\u0399\u039A\u039B\u039C\u039D\u039E\u039F\u03A0\u03A1\u03A2\u03A3\u03A4\u03A5\u03A6\u03A7\u03A8\u03A9\u0399\u03A5\u03B1\u03B5\u03B7\u03B9",
            "\u03C5\u03B1\u03B2\u03B3\u03B4\u03B5\u03B6\u03B7\u03B8\u03B9\u03BA\u03BB\u03BC\u03BD\u03BE\u03BF\u03C0\u03C1\u03C2\u03C3\u03C4\u03C5\u03C6\u03C7\u03C8\u03C9\u03B9\u03C5\u03BF\u03C5\u03C9\u03CF",
            "\u03D0\u03D1\u03D2\u03D2\u03D2\u03D5\u03D6\u03D7\u03D8\u03D9\u03DA\u03DB\u03DC\u03DD\u03DE\u03DF\u03E0\u03E1\u03E2\u03E3\u03E4\u03E5\u03E6\u03E7\u03E8\u03E9\u03EA\u03EB\u03EC\u03ED\u03EE\u03EF",
            "\u03F0\u03F1\u03F2\u03F3\u03F4\u03F5\u03F6\u03F7\u03F8\u03F9\u03FA\u03FB\u03FC\u03FD\u03FE\u03FF")),
        new(0x0400, string.Concat(
            "\u0415\u0415\u0402\u0413\u0404\u0405\u0406\u0406\u0408\u0409\u040A\u040B\u041A\u0418\u0423\u040F\u0410\u0411\u0412\u0413\u0414\u0415\u0416\u0417\u0418\u0418\u041A\u041B\u041C\u041D\u041E\u041F",
            "\u0420\u0421\u0422\u0423\u0424\u0425\u0426\u0427\u0428\u0429\u042A\u042B\u042C\u042D\u042E\u042F\u0430\u0431\u0432\u0433\u0434\u0435\u0436\u0437\u0438\u0438\u043A\u043B\u043C\u043D\u043E\u043F",
            "\u0440\u0441\u0442\u0443\u0444\u0445\u0446\u0447\u0448\u0449\u044A\u044B\u044C\u044D\u044E\u044F\u0435\u0435\u0452\u0433\u0454\u0455\u0456\u0456\u0458\u0459\u045A\u045B\u043A\u0438\u0443\u045F",
            "\u0460\u0461\u0462\u0463\u0464\u0465\u0466\u0467\u0468\u0469\u046A\u046B\u046C\u046D\u046E\u046F\u0470\u0471\u0472\u0473\u0474\u0475\u0474\u0475\u0478\u0479\u047A\u047B\u047C\u047D\u047E\u047F",
            "\u0480\u0481\u0482\u0483\u0484\u0485\u0486\u0487\u0488\u0489\u048A\u048B\u048C\u048D\u048E\u048F\u0490\u0491\u0492\u0493\u0494\u0495\u0496\u0497\u0498\u0499\u049A\u049B\u049C\u049D\u049E\u049F",
            "\u04A0\u04A1\u04A2\u04A3\u04A4\u04A5\u04A6\u04A7\u04A8\u04A9\u04AA\u04AB\u04AC\u04AD\u04AE\u04AF\u04B0\u04B1\u04B2\u04B3\u04B4\u04B5\u04B6\u04B7\u04B8\u04B9\u04BA\u04BB\u04BC\u04BD\u04BE\u04BF",
            "\u04C0\u0416\u0436\u04C3\u04C4\u04C5\u04C6\u04C7\u04C8\u04C9\u04CA\u04CB\u04CC\u04CD\u04CE\u04CF\u0410\u0430\u0410\u0430\u04D4\u04D5\u0415\u0435\u04D8\u04D9\u04D8\u04D9\u0416\u0436\u0417\u0437",
            "\u04E0\u04E1\u0418\u0438\u0418\u0438\u041E\u043E\u04E8\u04E9\u04E8\u04E9\u042D\u044D\u0423\u0443\u0423\u0443\u0423\u0443\u0427\u0447\u04F6\u04F7\u042B\u044B\u04FA\u04FB\u04FC\u04FD\u04FE\u04FF")),
        new(0x1E00, string.Concat(
            "AaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFf",
            "GgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMm",
            "MmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRr",
            "SsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVv",
            "WwWwWwWwWwXxXxYyZzZzZzhtwy\u1E9A\u017F\u1E9C\u1E9D\u1E9E\u1E9F",
            "AaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEe",
            "EeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOo",
            "OoOoUuUuUuUuUuUuUuYyYyYyYy\u1EFA\u1EFB\u1EFC\u1EFD\u1EFE\u1EFF")),
    ];

    public static string Fold(string text)
    {
        var index = text.AsSpan().IndexOfAnyExceptInRange('\u0000', '\u00BF');
        if (index < 0)
        {
            return text;
        }
        var chars = text.ToCharArray();
        for (var i = index; i < chars.Length; i++)
        {
            var c = chars[i];
            if (c >= '\u0300' && c <= '\u036F')
            {
                chars[i] = '\0';
                continue;
            }
            foreach (var block in Blocks)
            {
                var offset = c - block.Start;
                if (offset >= 0 && offset < block.Folded.Length)
                {
                    chars[i] = block.Folded[offset];
                    break;
                }
            }
        }
        return chars.AsSpan().Contains('\0') ? new string(chars).Replace("\0", "", StringComparison.Ordinal) : new string(chars);
    }

    private readonly record struct Block(int Start, string Folded);
}
