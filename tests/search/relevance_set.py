"""The relevance set: realistic queries over the real seed bank (questions/data/), each with
the question(s) that must be among the first ten results, or the first three where the query
is a question's exact title. Written by hand before tuning, grouped by how people ask; a query
is not dropped or its expectation moved because the engine missed it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    query: str
    expected: tuple[str, ...]  # titles; every one must be found
    kind: str
    top: int = 10


def exact(title: str) -> Case:
    return Case(title, (title,), "exact title", top=3)


def case(kind: str, query: str, *expected: str) -> Case:
    return Case(query, expected, kind)


LORA = "什么是 LoRA？"
LORA_IDEA = "LoRA 的思路是什么？"
QLORA_IDEA = "QLoRA 的思路是怎么样的？"
REPEAT_WHAT = "什么是 LLMs 复读机问题？"
REPEAT_FIX = "如何缓解 LLMs 复读机问题？"
HALLUCINATION = "LLMs 存在模型幻觉问题，请问如何处理？"
FORGETTING = "微调后的模型出现能力劣化，灾难性遗忘是怎么回事？"
FT_MEMORY = "微调模型需要多大显存？"
FULL_FT_MEMORY = "如果想要在某个模型基础上做全参数微调，究竟需要多少显存？"
SFT_FORMAT = "SFT（有监督微调）的数据集格式？"
SFT_DATA = "SFT 指令微调数据 如何构建?"
RLHF = "RLHF 在实践过程中存在哪些不足？"
REWARD = "奖励模型需要和基础模型一致吗？"
RM_FORMAT = "RM（奖励模型）的数据格式？"
PPO_FORMAT = "PPO（强化学习）的数据格式？"
THREE_STAGES = "如何解决三个阶段的训练（SFT->RM->PPO）过程较长，更新迭代较慢问题？"
FOUR_MODELS = "如何解决 PPO 的训练过程同时存在4个模型（2训练，2推理），对计算资源的要求较高 问题？"
POSITION = "什么是位置编码？"
ROPE_IDEA = "旋转位置编码 RoPE 思路是什么？"
ROPE_PROS = "旋转位置编码 RoPE 有什么优点？"
ROPE_DERIVE = "推导一下 旋转位置编码 RoPE ？"
EXTRAPOLATION = "什么是 长度外推问题？"
LAYER_NORM = "Layer Norm 的计算公式写一下？"
RMS_NORM = "RMS Norm 的计算公式写一下？"
RMS_VS_LN = "RMS Norm 相比于 Layer Norm 有什么特点？"
LN_WHICH = "LLMs 各模型分别用了 哪种 Layer normalization？"
LN_POSITION = "LN 在 LLMs 中的不同位置 有什么区别么？如果有，能介绍一下区别么？"
TOKENIZERS = "举例 介绍一下 不同 大模型LLMs 的分词方式？"
BPE = "Byte-Pair Encoding(BPE) 如何构建词典？"
WORDPIECE = "WordPiece 与 BPE 异同点是什么？"
SENTENCEPIECE = "简单介绍一下 SentencePiece 思路？"
LANGCHAIN = "什么是 LangChain?"
ACTIVATIONS = "各LLMs 都使用哪种激活函数？"
EMERGENCE = "涌现能力是啥原因？"
VOCAB = "领域模型词表扩增是不是有必要的？"
MULTI_TURN = "多轮对话任务如何微调模型？"
OOM = "样本量规模增大，训练出现OOM错"
PREFIX_LM = "prefix LM 和 causal LM 区别是什么？"
INSTRUCTION = "指令微调的好处？"
INJECT = "如何给LLM注入领域知识？"
GENERAL_ABILITY = "领域数据训练后，通用能力往往会有所下降，如何缓解模型遗忘通用能力？"
ALIBI_IDEA = "ALiBi (Attention with Linear Biases) 思路是什么？"
ALIBI_PROS = "ALiBi (Attention with Linear Biases) 有什么优点？"

CASES = [
    # Exact titles: the question itself in the first three.
    exact(LORA),
    exact(QLORA_IDEA),
    exact(REPEAT_WHAT),
    exact("LangChain 中 Output Parsers 是什么？"),
    exact(RMS_VS_LN),
    exact(ROPE_PROS),
    exact("微调需要多少条数据？"),
    exact(REWARD),
    exact(WORDPIECE),
    exact("ALiBi (Attention with Linear Biases) 的偏置矩阵是什么？有什么作用？"),
    exact(FOUR_MODELS),
    exact("大模型怎么评测？"),
    exact("大模型的honest原则是如何实现的？"),
    exact("为什么SFT之后感觉LLM傻了?"),
    # Chinese, one to eight characters.
    case("chinese", "块", "介绍一下 FFN 块 计算公式？"),
    case("chinese", "幻觉", HALLUCINATION),
    case("chinese", "复读机", REPEAT_WHAT, REPEAT_FIX),
    case("chinese", "显存", FT_MEMORY, FULL_FT_MEMORY),
    case("chinese", "位置编码", POSITION),
    case("chinese", "长度外推", EXTRAPOLATION),
    case("chinese", "灾难性遗忘", FORGETTING),
    case("chinese", "词表扩增", VOCAB),
    case("chinese", "涌现", EMERGENCE),
    case("chinese", "激活函数", ACTIVATIONS),
    case("chinese", "分词", TOKENIZERS),
    case("chinese", "多轮对话", MULTI_TURN),
    case("chinese", "奖励模型", REWARD, RM_FORMAT),
    case("chinese", "合规", "如何让大模型输出合规化"),
    case("chinese", "推理速度", "大模型在gpu和cpu上推理速度如何？"),
    case("chinese", "训练集", "有哪些大模型的训练集？"),
    case("chinese", "评测集", "领域模型微调 领域评测集 构建？"),
    case("chinese", "偏好数据", "如何解决 人工产生的偏好数据集成本较高，很难量产问题？"),
    case("chinese", "向量库", "基于LLM+向量库的文档对话 思路是怎么样？"),
    case("chinese", "文档切分", "痛点1：文档切分粒度不好把控，既担心噪声太多又担心语义信息丢失"),
    case("chinese", "基座模型", "进行SFT操作的时候，基座模型选用Chat还是Base?"),
    case("chinese", "三个阶段的训练", THREE_STAGES),
    case("chinese", "四个模型", FOUR_MODELS),
    case("chinese", "注入知识", INJECT, "预训练和微调哪个阶段注入知识的？"),
    case("chinese", "显存占用", "为什么大模型推理时显存涨的那么多还一直占着？"),
    # English.
    case("english", "hallucination", HALLUCINATION),
    case("english", "tokenizer", TOKENIZERS),
    case("english", "LoRA", LORA),
    case("english", "RMSNorm", RMS_NORM),
    case("english", "rms-norm", RMS_NORM, RMS_VS_LN),
    case("english", "LayerNorm", LAYER_NORM),
    case("english", "layer normalization", LN_WHICH),
    case("english", "RLHF", RLHF),
    case("english", "SFT", "为什么SFT之后感觉LLM傻了?"),
    case("english", "OOM", OOM),
    case("english", "catastrophic forgetting", FORGETTING),
    case("english", "emergent abilities", EMERGENCE),
    case("english", "positional encoding", POSITION),
    case("english", "rotary position embedding", ROPE_IDEA),
    case("english", "length extrapolation", EXTRAPOLATION),
    case("english", "reward model", REWARD),
    case("english", "activation functions", ACTIVATIONS),
    case("english", "vector store", "LangChain 如何Embedding & vector store？"),
    case("english", "prompt template", "LangChain 如何修改 提示模板？"),
    case("english", "instruction tuning", INSTRUCTION),
    case("english", "byte pair encoding", BPE),
    case("english", "gated linear unit", "介绍一下 使用 GLU 线性门控单元的 FFN 块 计算公式？"),
    case("english", "honesty", "大模型的honest原则是如何实现的？"),
    case("english", "low-rank adaptation", LORA),
    case("english", "continued pretraining", "领域模型Continue PreTrain 数据选取？"),
    case("english", "open source models", "目前 主流的开源模型体系 有哪些？"),
    case("english", "reasoning ability", "大模型有推理能力吗？"),
    case("english", "evaluation", "大模型怎么评测？"),
    case("english", "repetition problem", REPEAT_WHAT),
    # Mixed Chinese and English.
    case("mixed", "LoRA 微调 显存", FT_MEMORY),
    case("mixed", "SFT 数据集 格式", SFT_FORMAT),
    case("mixed", "PPO 数据格式", PPO_FORMAT),
    case("mixed", "RoPE 优点", ROPE_PROS),
    case("mixed", "ALiBi 优点", ALIBI_PROS),
    case("mixed", "LangChain Agent", "什么是 LangChain Agent?"),
    case("mixed", "LangChain 替代", "LangChain 替代方案？"),
    case("mixed", "chatglm lora 权重大小", "ChatGLM-6B LoRA后的权重多大？"),
    case(
        "mixed",
        "Prompt-tuning 和 fine-tuning 区别",
        "指示微调（Prompt-tuning）与 fine-tuning 区别 是什么？",
    ),
    case("mixed", "P-tuning 缺点", "P-tuning 缺点是什么？"),
    case("mixed", "Adapter tuning 思路", "适配器微调（Adapter-tuning）思路？"),
    case("mixed", "GeLU 公式", "介绍一下 GeLU 计算公式？"),
    case("mixed", "Swish GLU", "介绍一下 使用 Swish 的 GLU 块 计算公式？"),
    case("mixed", "BPE WordPiece 区别", WORDPIECE),
    case("mixed", "Deep Norm 代码", "写一下 Deep Norm 代码实现？"),
    case("mixed", "LN 位置", LN_POSITION),
    case("mixed", "fine-tuning 显存", FT_MEMORY),
    case("mixed", "GPU CPU 推理速度", "大模型在gpu和cpu上推理速度如何？"),
    case("mixed", "token 数", "SFT需要训练Token数？"),
    # Extra words that are in no title, and paraphrases.
    case("extra words", "LoRA 的思路是什么 详细讲讲 面试", LORA_IDEA),
    case("extra words", "LoRA 为什么可以加速训练 详细解释", "LoRA微调方法为啥能加速训练？"),
    case("extra words", "训练大模型到底需要多少显存呢", FULL_FT_MEMORY),
    case("extra words", "旋转位置编码的推导过程", ROPE_DERIVE),
    case("paraphrase", "LoRA 的原理", LORA_IDEA),
    case("paraphrase", "模型 重复生成 怎么解决", REPEAT_FIX),
    case("paraphrase", "怎么减少大模型的幻觉", HALLUCINATION),
    case("paraphrase", "大模型 通用能力 下降 怎么办", GENERAL_ABILITY),
    case("paraphrase", "怎样构建指令微调数据集", SFT_DATA),
    case("paraphrase", "领域知识怎么注入大模型", INJECT),
    case("paraphrase", "prefix tuning 的优势", "前缀微调（Prefix-tuning）的优点是什么？"),
    case("paraphrase", "RLHF 的缺点", RLHF),
    case("paraphrase", "大模型如何处理长文本", "如何让大模型处理更长的文本？"),
    case(
        "paraphrase",
        "base model or chat model for SFT",
        "进行SFT操作的时候，基座模型选用Chat还是Base?",
    ),
    case("paraphrase", "difference between prefix LM and causal LM", PREFIX_LM),
    case("paraphrase", "GPU memory for fine-tuning", FT_MEMORY),
    # Typos.
    case("typo", "langchian", LANGCHAIN),
    case("typo", "qlroa", QLORA_IDEA),
    case("typo", "loar 思路", LORA_IDEA),
    case("typo", "adapterfusoin", "AdapterFusion 思路 是什么？"),
    case("typo", "sentencepeice", SENTENCEPIECE),
    case("typo", "wordpeice", WORDPIECE),
    case("typo", "allibi 思路", ALIBI_IDEA),
    case("typo", "p-tunning 优点", "P-tuning 优点是什么？"),
    case("typo", "hallucinaton", HALLUCINATION),
    # Synonyms, both directions and across languages.
    case("synonym", "低秩适配", LORA),
    case("synonym", "均方根归一化", RMS_NORM),
    case("synonym", "层归一化", LAYER_NORM),
    case("synonym", "监督微调", SFT_FORMAT),
    case("synonym", "有监督微调 数据", SFT_FORMAT),
    case("synonym", "人类反馈强化学习", RLHF),
    case("synonym", "reinforcement learning", PPO_FORMAT),
    case("synonym", "强化学习 数据格式", PPO_FORMAT),
    case("synonym", "前缀微调", "为什么需要 前缀微调（Prefix-tuning）？"),
    case("synonym", "prefix tuning 思路", "前缀微调（Prefix-tuning）思路是什么？"),
    case("synonym", "提示微调", "为什么需要 指示微调（Prompt-tuning）？"),
    case("synonym", "提示学习", "什么是 提示学习（Prompting）？"),
    case("synonym", "prompting", "什么是 提示学习（Prompting）？"),
    case("synonym", "模型幻觉 hallucination", HALLUCINATION),
    case("synonym", "灾难遗忘 catastrophic forgetting", FORGETTING),
    case("synonym", "基础模型 base model", REWARD),
    case("synonym", "extrapolation", EXTRAPOLATION),
    case("synonym", "相对位置编码 relative position encoding", "什么是相对位置编码？"),
    case("synonym", "GLU 门控线性单元", "介绍一下 使用 GLU 线性门控单元的 FFN 块 计算公式？"),
    case("synonym", "feed-forward network 计算公式", "介绍一下 FFN 块 计算公式？"),
]
