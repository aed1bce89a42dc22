// A fixture for the analysis unit tests: one translation unit parsed from a string, the
// default coroutine model, and the look-ups by name the tests share.
#pragma once

#include "CoroutineModel.h"

#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace corotidy {

class ParsedCodeTest : public ::testing::Test {
protected:
  /// Parses Code as C++20 (a parse error fails the test) and loads the model.
  void parse(const std::string &Code) {
    AST = clang::tooling::buildASTFromCodeWithArgs(
        Code, {"-std=c++20", "-resource-dir=" COROTIDY_CLANG_RESOURCE_DIR}, "input.cpp");
    ASSERT_TRUE(AST);
    ASSERT_FALSE(AST->getDiagnostics().hasErrorOccurred());
    auto Loaded = CoroutineModel::get("");
    ASSERT_TRUE(bool(Loaded)) << llvm::toString(Loaded.takeError());
    Model = *Loaded;
  }
  /// The first function named Name (its definition, if Definition).
  const clang::FunctionDecl *function(llvm::StringRef Name, bool Definition = false) {
    using namespace clang::ast_matchers;
    auto Found = Definition
                     ? match(functionDecl(hasName(Name), isDefinition()).bind("f"), context())
                     : match(functionDecl(hasName(Name)).bind("f"), context());
    EXPECT_FALSE(Found.empty()) << Name.str();
    return Found.empty() ? nullptr : Found.front().getNodeAs<clang::FunctionDecl>("f");
  }
  /// The first call of a function named Callee.
  const clang::CallExpr *call(llvm::StringRef Callee) {
    using namespace clang::ast_matchers;
    auto Found = match(callExpr(callee(functionDecl(hasName(Callee)))).bind("c"), context());
    EXPECT_FALSE(Found.empty()) << Callee.str();
    return Found.empty() ? nullptr : Found.front().getNodeAs<clang::CallExpr>("c");
  }
  clang::ASTContext &context() { return AST->getASTContext(); }

  std::unique_ptr<clang::ASTUnit> AST;
  std::shared_ptr<const CoroutineModel> Model;
};

} // namespace corotidy
