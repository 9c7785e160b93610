//===--- Comments.cpp -----------------------------------------------------===//
#include "pitfall/Core/Comments.h"

#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;

namespace pitfall {

namespace {

/// The offset of the start of the line that holds \p Offset.
size_t lineStart(llvm::StringRef Buf, size_t Offset) {
  size_t NL = Buf.rfind('\n', Offset); // the last one before Offset
  return NL == llvm::StringRef::npos ? 0 : NL + 1;
}

/// The comments of the comment-only lines right above the line that starts
/// at \p Start, nearest last.
void commentLinesAbove(llvm::StringRef Buf, size_t Start,
                       llvm::SmallVectorImpl<llvm::StringRef> &Out) {
  llvm::SmallVector<llvm::StringRef, 4> Above;
  while (Start > 0) {
    size_t Prev = lineStart(Buf, Start - 1);
    llvm::StringRef Line = Buf.slice(Prev, Start - 1).trim();
    bool LineComment = Line.starts_with("//");
    bool BlockComment = Line.starts_with("/*") && Line.ends_with("*/") &&
                        Line.find("*/") == Line.size() - 2;
    if (!LineComment && !BlockComment)
      break;
    Above.push_back(Line);
    Start = Prev;
  }
  Out.append(Above.rbegin(), Above.rend());
}

} // namespace

llvm::SmallVector<llvm::StringRef, 2>
commentsOf(const Stmt *S, const SourceManager &SM, const LangOptions &LO) {
  llvm::SmallVector<llvm::StringRef, 2> Out;
  if (!S)
    return Out;
  SourceLocation Begin = S->getBeginLoc(), End = S->getEndLoc();
  if (Begin.isMacroID() || End.isMacroID()) {
    // A statement made by a macro's expansion: its comments are at the use
    // of the macro, when the whole statement is that use.
    if (!SM.isMacroArgExpansion(Begin) && !SM.isMacroArgExpansion(End)) {
      Begin = SM.getExpansionRange(Begin).getBegin();
      End = SM.getExpansionRange(End).getEnd();
    } else {
      Begin = SM.getFileLoc(Begin);
      End = SM.getFileLoc(End);
    }
  }
  FileID File = SM.getFileID(Begin);
  if (File.isInvalid() || File != SM.getFileID(End))
    return Out;
  bool Invalid = false;
  llvm::StringRef Buf = SM.getBufferData(File, &Invalid);
  if (Invalid)
    return Out;
  size_t BeginOff = SM.getFileOffset(Begin), EndOff = SM.getFileOffset(End);
  if (BeginOff > Buf.size() || EndOff > Buf.size())
    return Out;
  // The comment lines above belong to the statement that starts its line
  // (after blanks, or after a comment: `/* best effort */ close(fd);`).
  size_t First = lineStart(Buf, BeginOff);
  llvm::StringRef Lead = Buf.slice(First, BeginOff).trim();
  bool LeadComment = Lead.starts_with("/*") && Lead.ends_with("*/") &&
                     Lead.find("*/") == Lead.size() - 2;
  if (Lead.empty() || LeadComment)
    commentLinesAbove(Buf, First, Out);
  if (LeadComment)
    Out.push_back(Lead);
  // Comments after the statement's last token, up to the end of its line.
  size_t LineEnd = Buf.find('\n', EndOff);
  if (LineEnd == llvm::StringRef::npos)
    LineEnd = Buf.size();
  Lexer Raw(SM.getLocForStartOfFile(File), LO, Buf.begin(),
            Buf.begin() + EndOff, Buf.end());
  Raw.SetCommentRetentionState(true);
  Token Tok;
  while (!Raw.LexFromRawLexer(Tok)) {
    size_t Off = SM.getFileOffset(Tok.getLocation());
    if (Off >= LineEnd)
      break;
    if (Tok.is(tok::comment))
      Out.push_back(Buf.substr(Off, Tok.getLength()));
  }
  return Out;
}

bool saysDroppedOnPurpose(llvm::StringRef Comment) {
  std::string Lower = Comment.lower();
  llvm::StringRef Text = Lower;
  // "ignore", "ignored", "ignores", "ignoring"; not "ignorant", nor the
  // name `std::ignore` (advice about another statement's result).
  for (size_t At = Text.find("ignor"); At != llvm::StringRef::npos;
       At = Text.find("ignor", At + 1)) {
    llvm::StringRef Rest = Text.substr(At + 5);
    if ((Rest.starts_with("e") || Rest.starts_with("ing")) &&
        !Text.substr(0, At).ends_with("::"))
      return true;
  }
  return Text.contains("deliberate") || Text.contains("intentional") ||
         Text.contains("best effort") || Text.contains("best-effort");
}

} // namespace pitfall
